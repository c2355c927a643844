import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sidecar } from 'exifr';
import { expect, it } from 'vitest';
import { OrganizerStore } from '../../../src/engine/library/organizer-store';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { nameFace } from '../../../src/engine/people/naming';
import { exportXmpSidecars, sidecarPath } from '../../../src/engine/people/xmp-export';
import { describeWithShared } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { libraryWithFaces } from './support/library-fixture';
import { loadRealFaces } from './support/real-faces';

const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * The celebrity faces in a library whose "originals" are small placeholder files (export must never
 * touch them), clustered, with one photo of Angelina Jolie named `name`.
 */
async function clusteredCelebsWithAngelinaNamed(name: string) {
  const photos = tempDir();
  const faces = await loadRealFaces('faces-celebs');
  for (const photo of new Set(faces.map((f) => f.photo))) fs.writeFileSync(path.join(photos, photo), `original bytes of ${photo}`);
  const { library, faceIds } = libraryWithFaces(tempDir(), faces, photos);
  runIncrementalClustering(library);
  const angelina = faces.findIndex((f) => f.identity === 'angelina_jolie');
  nameFace(library, faceIds[angelina]!, name);
  return { library, faceIds, angelina };
}

describeWithShared('export-xmp', () => {
  it('writes MWG regions with names next to the originals, never modifies an original, never clobbers a foreign sidecar', async () => {
    const { library } = await clusteredCelebsWithAngelinaNamed('Angelina <Jolie> & Co');
    const namedPhotos = library.db
      .prepare(
        'SELECT DISTINCT ph.path FROM faces f JOIN people p ON p.id = f.person_id JOIN photos ph ON ph.id = f.photo_id WHERE p.name IS NOT NULL',
      )
      .pluck()
      .all() as string[];
    expect(namedPhotos.length).toBeGreaterThan(3);
    const foreign = sidecarPath(namedPhotos[0]!);
    fs.writeFileSync(foreign, '<x:xmpmeta><!-- Lightroom ratings --></x:xmpmeta>');
    const before = new Map(namedPhotos.map((p) => [p, sha(p)]));

    const result = exportXmpSidecars(library);

    expect(result.written).toBe(namedPhotos.length - 1);
    expect(result.skipped.map((s) => s.path)).toEqual([foreign]);
    expect(fs.readFileSync(foreign, 'utf8')).toContain('Lightroom ratings');
    for (const photo of namedPhotos) expect(sha(photo)).toBe(before.get(photo));
    const xmp = fs.readFileSync(sidecarPath(namedPhotos[1]!), 'utf8');
    expect(xmp).toContain('mwg-rs:Name="Angelina &lt;Jolie&gt; &amp; Co"');
    expect(xmp).toMatch(/stArea:x="0\.\d+" stArea:y="0\.\d+" stArea:w="0\.\d+" stArea:h="0\.\d+" stArea:unit="normalized"/);
    expect(exportXmpSidecars(library).written).toBe(namedPhotos.length - 1); // its own files are rewritten
  });

  it('writes albums as MWG collections, read back by exifr, beside the names and for photos without any named face', async () => {
    const { library, faceIds, angelina } = await clusteredCelebsWithAngelinaNamed('Angelina');
    const photoOf = (faceId: number) =>
      library.db.prepare('SELECT ph.id, ph.path FROM faces f JOIN photos ph ON ph.id = f.photo_id WHERE f.id = ?').get(faceId) as {
        id: number;
        path: string;
      };
    const named = photoOf(faceIds[angelina]!);
    const unnamedFace = faceIds.find(
      (id) =>
        !(library.db.prepare('SELECT p.name FROM faces f LEFT JOIN people p ON p.id = f.person_id WHERE f.id = ?').pluck().get(id) as
          string | null),
    )!;
    const unnamed = photoOf(unnamedFace);
    const store = new OrganizerStore(library.db);
    store.createAlbum('Summer by the sea', [named.id, unnamed.id]);
    store.createAlbum('Kids', [named.id]);

    exportXmpSidecars(library);

    // exifr groups what it reads by namespace: { 'mwg-coll': { Collections }, Iptc4xmpExt: { PersonInImage } }.
    type Read = { 'mwg-coll'?: { Collections: Collection | Collection[] }; Iptc4xmpExt?: { PersonInImage: string | string[] } };
    type Collection = { CollectionName: string; CollectionURI: string };
    const read = async (photoPath: string) => (await sidecar(sidecarPath(photoPath))) as Read;
    const albumsOf = (xmp: Read) => [xmp['mwg-coll']!.Collections].flat().map((c) => c.CollectionName);
    const namedXmp = await read(named.path);
    expect(albumsOf(namedXmp)).toEqual(['Kids', 'Summer by the sea']);
    expect([namedXmp.Iptc4xmpExt!.PersonInImage].flat()).toContain('Angelina');
    const unnamedXmp = await read(unnamed.path);
    expect(albumsOf(unnamedXmp)).toEqual(['Summer by the sea']);
    expect(unnamedXmp.Iptc4xmpExt).toBeUndefined();
  });
});

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { nameFace } from '../../../src/engine/people/naming';
import { exportXmpSidecars, sidecarPath } from '../../../src/engine/people/xmp-export';
import { describeWithShared } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { libraryWithFaces } from './support/library-fixture';
import { loadRealFaces } from './support/real-faces';

const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describeWithShared('export-xmp', () => {
  it('writes MWG regions with names next to the originals, never modifies an original, never clobbers a foreign sidecar', async () => {
    const photos = tempDir();
    const faces = await loadRealFaces('faces-celebs');
    for (const photo of new Set(faces.map((f) => f.photo))) fs.writeFileSync(path.join(photos, photo), `original bytes of ${photo}`);
    const { library, faceIds } = libraryWithFaces(tempDir(), faces, photos);
    runIncrementalClustering(library);
    const angelina = faces.findIndex((f) => f.identity === 'angelina_jolie');
    nameFace(library, faceIds[angelina]!, 'Angelina <Jolie> & Co');
    const namedPhotos = library.db
      .prepare("SELECT DISTINCT ph.path FROM faces f JOIN people p ON p.id = f.person_id JOIN photos ph ON ph.id = f.photo_id WHERE p.name IS NOT NULL")
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
});

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { FaceInfo, FileInfo } from '../../../src/common/api/library';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { confirmFaces, createPerson } from '../../../src/engine/library/people-store';

async function files(engine: Engine): Promise<FileInfo[]> {
  return unwrap(await engine.call('library.files', { limit: 10_000 }));
}
async function faces(engine: Engine): Promise<FaceInfo[]> {
  return unwrap(await engine.call('library.faces', { limit: 10_000 }));
}

describeWithShared('incremental indexing', () => {
  const work = tempDir();
  const photos = path.join(work, 'photos');
  const libraryDir = path.join(work, 'library');
  let engine: Engine;

  beforeAll(() => {
    fs.mkdirSync(path.join(photos, 'trip'), { recursive: true });
    for (const name of ['img1.jpg', 'img2.jpg', 'img10.jpg', 'img11.jpg'])
      fs.copyFileSync(sharedPhotos('faces-celebs', name), path.join(photos, name));
    fs.copyFileSync(sharedPhotos('faces-celebs', 'couple.jpg'), path.join(photos, 'trip', 'couple.jpg'));
    fs.mkdirSync(path.join(photos, '.hidden'));
    fs.copyFileSync(sharedPhotos('faces-celebs', 'img4.jpg'), path.join(photos, '.hidden', 'img4.jpg'));
    engine = Engine.open({ libraryDir, modelsDir: SHARED_MODELS, device: 'cpu' });
    return () => engine.close();
  });

  it('indexes every photo once, skipping hidden folders, with faces in upright pixels', async () => {
    const result = await engine.index([photos]);
    expect(result).toMatchObject({ indexed: 5, unchanged: 0, failed: 0, unsupported: 0 });
    const listed = await files(engine);
    expect(listed.map((f) => path.relative(photos, f.path)).sort()).toEqual([
      'img1.jpg',
      'img10.jpg',
      'img11.jpg',
      'img2.jpg',
      path.join('trip', 'couple.jpg'),
    ]);
    expect(listed.every((f) => f.status === 'indexed' && f.width! > 0 && f.faces >= 1)).toBe(true);
    const couple = listed.find((f) => f.path.endsWith('couple.jpg'))!;
    expect(couple.faces).toBe(2);
    for (const face of await faces(engine)) {
      const file = listed.find((f) => f.path === face.photo)!;
      expect(face.box[0] + face.box[2]).toBeLessThanOrEqual(file.width! + 1);
      expect(face.box[1] + face.box[3]).toBeLessThanOrEqual(file.height! + 1);
      expect(face.landmarks).toHaveLength(5);
    }
    expect(
      fs.readdirSync(path.join(libraryDir, 'thumbs'), { recursive: true }).filter((f) => /^\d{4}[\\/]\d+\.webp$/.test(String(f))),
    ).toHaveLength(5);
  });

  it('does not decode unchanged files again', async () => {
    const result = await engine.index([photos]);
    expect(result).toMatchObject({ indexed: 0, unchanged: 5, failed: 0 });
  });

  it('re-indexes a changed file and keeps a name on the face at the same place', async () => {
    const target = path.join(photos, 'img1.jpg');
    const before = (await faces(engine)).filter((f) => f.photo === target);
    expect(before.length).toBeGreaterThan(0);
    const personId = createPerson(engine.library.db, 'Angelina');
    confirmFaces(engine.library.db, [before[0]!.id], personId);
    // Same picture, different bytes (as an editor that rewrites metadata would leave it).
    fs.appendFileSync(target, Buffer.from('trailing bytes after the JPEG end marker'));
    const result = await engine.index([photos]);
    expect(result).toMatchObject({ indexed: 1, unchanged: 4 });
    const after = (await faces(engine)).filter((f) => f.photo === target);
    // (Face ids are not compared: SQLite may give the re-created face the id the old one had.)
    expect(after).toHaveLength(before.length);
    expect(after.find((f) => f.person === personId)?.personName).toBe('Angelina');
  });

  it('a moved and renamed file keeps its faces (and names) by content hash', async () => {
    const from = path.join(photos, 'img1.jpg');
    const to = path.join(photos, 'trip', 'renamed.jpg');
    const before = (await faces(engine)).filter((f) => f.photo === from);
    fs.renameSync(from, to);
    const result = await engine.index([photos]);
    expect(result).toMatchObject({ indexed: 1, missing: 1 });
    const after = (await faces(engine)).filter((f) => f.photo === to);
    expect(after.map((f) => f.id).sort()).toEqual(before.map((f) => f.id).sort());
    expect(after.some((f) => f.personName === 'Angelina')).toBe(true);
    expect((await files(engine)).some((f) => f.path === from)).toBe(false);
  });

  it('a deleted file is marked missing, never dropped', async () => {
    fs.rmSync(path.join(photos, 'img2.jpg'));
    const result = await engine.index([photos]);
    expect(result.missing).toBe(1);
    const gone = (await files(engine)).find((f) => f.path.endsWith('img2.jpg'));
    expect(gone?.status).toBe('missing');
  });

  it('a vanished folder (unplugged drive) marks its photos offline and they come back with their faces', async () => {
    const facesBefore = (await faces(engine)).length;
    const parked = path.join(work, 'parked');
    fs.renameSync(photos, parked);
    const offline = await engine.index([photos]);
    expect(offline.offlineFolders).toEqual([photos]);
    expect((await files(engine)).filter((f) => f.status === 'offline').length).toBe(4);
    expect((await faces(engine)).length).toBe(facesBefore);
    fs.renameSync(parked, photos);
    const back = await engine.index([photos]);
    expect(back).toMatchObject({ indexed: 0, failed: 0 });
    expect((await files(engine)).filter((f) => f.status === 'indexed').length).toBe(4);
    expect((await faces(engine)).length).toBe(facesBefore);
  });
});

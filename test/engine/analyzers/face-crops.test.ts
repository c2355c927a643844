import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Box } from '../../../src/common/api/library';
import { toApiError, unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { FACE_CROP_SIZE, faceCropRegion, faceCropRelativePath } from '../../../src/engine/imaging/face-crop';
import { laplacianVariance } from '../../../src/engine/imaging/laplacian';
import { resolveMediaUrl } from '../../../src/engine/media/media-file';
import { detailLongSide } from '../../../src/engine/ml/faces/face-analyzer';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

interface FaceRow {
  id: number;
  photo_id: number;
  crop: number | null;
  box: Box;
}

/**
 * Crisp faces (issue #15): every face gets a 256 px crop at indexing, cut from the decode its
 * alignment used, so a face in a group photo is drawn from the photo's own pixels, not blown up from
 * the 320 px thumbnail. Real photos from ../shared, real face models, the real index run.
 */
describeWithShared('face crops made at indexing', { timeout: 180_000 }, () => {
  const work = tempDir('facet-face-crops-');
  const photos = path.join(work, 'photos');
  const GROUP = 'group.jpg';
  /** A group photo scaled to 12 MP: decoded at 1/8 for analysis, so its faces take the detail decode. */
  const LARGE_GROUP = 'group-12mp.jpg';
  let engine: Engine;

  const faces = (): FaceRow[] =>
    (
      engine.library.db.prepare('SELECT id, photo_id, crop, box_x, box_y, box_w, box_h FROM faces ORDER BY id').all() as {
        id: number;
        photo_id: number;
        crop: number | null;
        box_x: number;
        box_y: number;
        box_w: number;
        box_h: number;
      }[]
    ).map((f) => ({ id: f.id, photo_id: f.photo_id, crop: f.crop, box: [f.box_x, f.box_y, f.box_w, f.box_h] }));
  const photoId = (name: string) =>
    (engine.library.db.prepare('SELECT id FROM photos WHERE path = ?').get(path.join(photos, name)) as { id: number }).id;
  const cropFile = (faceId: number) => path.join(engine.library.paths.thumbnails, faceCropRelativePath(faceId));
  const cropFiles = () =>
    fs.readdirSync(path.join(engine.library.paths.thumbnails, 'faces'), { recursive: true }).filter((f) => String(f).endsWith('.jpg'));

  beforeAll(async () => {
    fs.mkdirSync(photos, { recursive: true });
    fs.copyFileSync(sharedPhotos('groups', '2.jpg'), path.join(photos, GROUP));
    await sharp(sharedPhotos('groups', '10.jpg')).resize(4000).jpeg({ quality: 92 }).toFile(path.join(photos, LARGE_GROUP));
    engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    await engine.index([photos]);
  });
  afterAll(() => engine?.close());

  it('every face has a 256 px JPEG crop, served as facet://face/<id>', async () => {
    const all = faces();
    expect(all.length).toBeGreaterThanOrEqual(8); // two group photos
    for (const face of all) {
      expect(face.crop, `face ${face.id}`).toBe(FACE_CROP_SIZE);
      const served = resolveMediaUrl(engine.library, `facet://face/${face.id}`);
      expect(served).toMatchObject({ path: cropFile(face.id), mimeType: 'image/jpeg' });
      const meta = await sharp(served.path).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 256, 256]);
    }
    expect(cropFiles()).toHaveLength(all.length); // one file per face, nothing else
    expect(() => resolveMediaUrl(engine.library, `facet://face/${all.at(-1)!.id + 1000}`)).toThrow(/has no crop/);
  });

  it('every face keeps the resolution factor of its quality, which decides whether a poor face may found a person', () => {
    const rows = engine.library.db.prepare('SELECT quality, resolution FROM faces').all() as {
      quality: number;
      resolution: number | null;
    }[];
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const { quality, resolution } of rows) {
      expect(resolution).not.toBeNull();
      expect(resolution!).toBeGreaterThanOrEqual(0);
      expect(resolution!).toBeLessThanOrEqual(1);
      // Quality is the product of its factors, resolution one of them.
      expect(quality).toBeLessThanOrEqual(resolution! + 1e-9);
    }
  });

  it('a small face in a 12 MP group photo is sharper than the thumbnail cut, and comes from far more pixels', async () => {
    const id = photoId(LARGE_GROUP);
    const photo = unwrap(await engine.call('library.photo', { id })) as { width: number };
    const face = faces()
      .filter((f) => f.photo_id === id)
      .sort((a, b) => a.box[2] - b.box[2])[0]!;
    const thumbnail = resolveMediaUrl(engine.library, `facet://thumb/${id}`).path;
    const thumbMeta = await sharp(thumbnail).metadata();
    // What the app showed before: the face's square cut from the 320 px thumbnail, scaled to the same 256 px.
    const thumbScale = thumbMeta.width! / photo.width;
    const region = faceCropRegion(face.box.map((v) => v * thumbScale) as Box, thumbMeta.width!, thumbMeta.height!)!;
    const fromThumbnail = await sharp(thumbnail)
      .extract({ left: region.left, top: region.top, width: region.side, height: region.side })
      .resize(256, 256)
      .removeAlpha()
      .raw()
      .toBuffer();
    const crop = await sharp(cropFile(face.id)).removeAlpha().raw().toBuffer();
    const sharpness = (rgb: Buffer) => laplacianVariance(new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength), 256, 256);
    // The analysis decode of a 4000 px photo is 500 px: the face pass decoded it again for its small faces
    // (the detail decode), and the crop was cut there. The thumbnail cut has a few dozen pixels across.
    const analysisScale = 500 / photo.width;
    const smallest = Math.min(
      ...faces()
        .filter((f) => f.photo_id === id)
        .map((f) => Math.min(f.box[2], f.box[3]) * analysisScale),
    );
    const detail = detailLongSide(500, analysisScale, smallest);
    expect(detail).not.toBeNull();
    const cropSourceSide = Math.max(face.box[2], face.box[3]) * 1.6 * (detail! / photo.width);
    expect(region.side).toBeLessThan(40);
    expect(cropSourceSide / region.side).toBeGreaterThan(3);
    console.log(`detail decode ${detail} px: the crop comes from ${Math.round(cropSourceSide)} px across`);
    const [crisp, blurry] = [sharpness(crop), sharpness(fromThumbnail)];
    console.log(
      `face ${face.id}: thumbnail cut ${region.side} px across, Laplacian variance ${blurry.toFixed(1)}; crop ${crisp.toFixed(1)}`,
    );
    expect(crisp).toBeGreaterThan(blurry * 3);
  });

  it('merges keep the crops; re-indexing a changed photo replaces them, leaving no file behind', async () => {
    const before = faces();
    const bytes = new Map(before.map((f) => [f.id, fs.readFileSync(cropFile(f.id))]));
    const ann = unwrap(await engine.call('people.nameFace', { faceId: before[0]!.id, name: 'Ann' })).personId!;
    const bo = unwrap(await engine.call('people.nameFace', { faceId: before[1]!.id, name: 'Bo' })).personId!;
    unwrap(await engine.call('people.merge', { id: ann, into: bo }));
    expect(faces()).toEqual(before);
    for (const f of before) expect(fs.readFileSync(cropFile(f.id)).equals(bytes.get(f.id)!)).toBe(true);

    // Another app edits the photo (a mirror image): it is analysed again, and its faces get new crops.
    const group = path.join(photos, GROUP);
    const mirrored = await sharp(group).flop().jpeg({ quality: 92 }).toBuffer();
    fs.writeFileSync(group, mirrored);
    await engine.index([photos]);
    const id = photoId(GROUP);
    const after = faces();
    const renewed = after.filter((f) => f.photo_id === id);
    expect(renewed.length).toBeGreaterThan(0);
    for (const f of renewed) {
      expect(f.crop).toBe(FACE_CROP_SIZE);
      expect(bytes.get(f.id)?.equals(fs.readFileSync(cropFile(f.id))) ?? false, `face ${f.id} kept an old crop`).toBe(false);
    }
    expect(after.filter((f) => f.photo_id !== id)).toEqual(before.filter((f) => f.photo_id !== id));
    expect(cropFiles()).toHaveLength(after.length);
  });

  it('a re-analysis whose save hits a full disk keeps every old face with its own crop; the next run replaces them', async () => {
    const before = faces();
    const bytes = new Map(before.map((f) => [f.id, fs.readFileSync(cropFile(f.id))]));
    // The photo with the newest face ids: its new faces take the ids of its old ones.
    const id = before.at(-1)!.photo_id;
    const file = (engine.library.db.prepare('SELECT path FROM photos WHERE id = ?').get(id) as { path: string }).path;
    fs.writeFileSync(file, await sharp(file).flop().jpeg({ quality: 92 }).toBuffer());
    // The disk fills up during that photo's save: a few pages of room (as in the hardening disk-full test),
    // and the new face rows' insert is made to need more (a temporary trigger on this connection).
    const db = engine.library.db;
    db.exec('CREATE TABLE test_filler (b BLOB)');
    db.exec(
      'CREATE TEMP TRIGGER test_fill_disk AFTER INSERT ON main.faces BEGIN INSERT INTO main.test_filler VALUES (zeroblob(1000000)); END',
    );
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 10}`);
    let error: unknown;
    await engine.index([photos]).catch((e: unknown) => (error = e));
    db.exec('DROP TRIGGER temp.test_fill_disk; DROP TABLE test_filler');
    db.pragma('max_page_count = 1073741823');
    expect(toApiError(error), String((error as Error)?.stack)).toMatchObject({ code: 'disk_full' });
    // Nothing changed: the old rows, each with its own crop file, byte for byte.
    expect(faces()).toEqual(before);
    for (const f of before) expect(fs.readFileSync(cropFile(f.id)).equals(bytes.get(f.id)!), `face ${f.id}`).toBe(true);

    await engine.index([photos]);
    const after = faces();
    const renewed = after.filter((f) => f.photo_id === id);
    expect(
      renewed.map((f) => f.id).some((f) => bytes.has(f)),
      'an old id was reused',
    ).toBe(true);
    for (const f of renewed) {
      expect(f.crop).toBe(FACE_CROP_SIZE);
      expect(bytes.get(f.id)?.equals(fs.readFileSync(cropFile(f.id))) ?? false, `face ${f.id} kept an old crop`).toBe(false);
    }
    expect(after.filter((f) => f.photo_id !== id)).toEqual(before.filter((f) => f.photo_id !== id));
    expect(cropFiles()).toHaveLength(after.length);
  });
});

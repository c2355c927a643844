import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FaceInfo, FileInfo } from '../../../src/common/api/library';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { decodePhoto } from '../../../src/engine/imaging/decode';
import { intersectionOverUnion } from '../../../src/engine/library/face-store';
import { type MediaFile, resolveMediaFile } from '../../../src/engine/media/media-file';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { FIXTURES_DIR } from '../../support/paths';

/** 320×240, four flat quadrants (red, green / blue, yellow), encoded by libheif's heif-enc with x265. */
const QUADRANTS = path.join(FIXTURES_DIR, 'heic', 'quadrants-hevc.heic');
const HAS_HEIF_ENC = spawnSync('heif-enc', ['--version']).error === undefined;

describe('HEVC-coded HEIC (iPhone photos), which sharp alone cannot decode', () => {
  it('is HEVC, and decodes to the right size and colours', async () => {
    expect(await sharp(QUADRANTS).metadata()).toMatchObject({ format: 'heif', compression: 'hevc' });
    const decoded = await decodePhoto(fs.readFileSync(QUADRANTS));
    expect([decoded.originalWidth, decoded.originalHeight, decoded.image.width, decoded.image.height]).toEqual([320, 240, 320, 240]);
    const at = (x: number, y: number) => Array.from(decoded.image.data.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3));
    const near = (actual: number[], expected: number[]) => actual.every((v, i) => Math.abs(v - expected[i]!) <= 12);
    expect(near(at(80, 60), [220, 40, 40])).toBe(true);
    expect(near(at(240, 60), [40, 200, 60])).toBe(true);
    expect(near(at(80, 180), [40, 60, 220])).toBe(true);
    expect(near(at(240, 180), [240, 220, 40])).toBe(true);
  });

  it('a truncated HEIC is refused as truncated, and the next photo still decodes', async () => {
    const bytes = fs.readFileSync(QUADRANTS);
    await expect(decodePhoto(bytes.subarray(0, bytes.length - 50))).rejects.toMatchObject({ code: 'unsupported', message: 'the file is truncated or damaged' });
    expect((await decodePhoto(bytes)).image.width).toBe(320);
  });
});

describeWithShared('HEVC HEIC through indexing', () => {
  const work = tempDir();
  const photos = path.join(work, 'photos');
  let files: FileInfo[];
  let faces: FaceInfo[];
  let stored: { id: number; format: string; thumbnail: string | null } | undefined;
  let shown: MediaFile | undefined;

  beforeAll(async () => {
    if (!HAS_HEIF_ENC) return;
    fs.mkdirSync(photos);
    await sharp(sharedPhotos('faces-celebs', 'couple.jpg'))
      .resize(1200)
      .withExif({ IFD0: { Make: 'Apple', Model: 'iPhone 15' }, IFD2: { DateTimeOriginal: '2024:07:14 15:30:00' } })
      .jpeg({ quality: 95 })
      .toFile(path.join(photos, 'couple.jpg'));
    const encoded = spawnSync('heif-enc', ['-q', '80', path.join(photos, 'couple.jpg'), '-o', path.join(photos, 'couple.heic')], { encoding: 'utf8' });
    expect(encoded.status, encoded.stderr).toBe(0);
    const engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    try {
      await engine.index([photos]);
      files = unwrap(await engine.call('library.files', {}));
      faces = unwrap(await engine.call('library.faces', {}));
      stored = engine.library.db.prepare("SELECT id, format, thumbnail FROM photos WHERE path LIKE '%.heic'").get() as typeof stored;
      shown = resolveMediaFile(engine.library, { kind: 'photo', id: stored!.id });
    } finally {
      engine.close();
    }
  }, 120_000);

  it.skipIf(!HAS_HEIF_ENC)(`indexes with the same faces as the JPEG it was made from${HAS_HEIF_ENC ? '' : ' [skipped: heif-enc (Debian libheif-examples) is not installed]'}`, () => {
    const heic = files.find((f) => f.path.endsWith('.heic'))!;
    expect(heic).toMatchObject({ status: 'indexed', width: 1200, takenAt: '2024-07-14T15:30:00' }); // EXIF carried over by heif-enc
    expect(stored?.format).toBe('HEIC');
    expect(stored?.thumbnail).toBeTruthy();
    const facesOf = (name: string) => faces.filter((f) => f.photo.endsWith(name));
    const reference = facesOf('couple.jpg');
    expect(reference).toHaveLength(2);
    const fromHeic = facesOf('couple.heic');
    expect(fromHeic).toHaveLength(2);
    for (const face of reference) expect(Math.max(...fromHeic.map((other) => intersectionOverUnion(face.box, other.box)))).toBeGreaterThan(0.8);
  });

  it.skipIf(!HAS_HEIF_ENC)('the viewer gets a full-size JPEG display copy, since Chromium cannot show HEIC', async () => {
    expect(shown).toMatchObject({ mimeType: 'image/jpeg', path: expect.stringMatching(/\.display\.jpg$/) });
    expect(await sharp(shown!.path).metadata()).toMatchObject({ format: 'jpeg', width: 1200 });
  });
});

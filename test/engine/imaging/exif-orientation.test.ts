import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import type { FaceInfo, FileInfo } from '../../../src/common/api/library';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { intersectionOverUnion } from '../../../src/engine/library/face-store';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

/** Stored pixels for each EXIF orientation, such that a viewer that honours the tag shows `upright`. */
async function storedFor(upright: Buffer, orientation: number): Promise<Buffer> {
  const step = (input: Buffer, op: (s: sharp.Sharp) => sharp.Sharp) => op(sharp(input)).toBuffer();
  switch (orientation) {
    case 2:
      return step(upright, (s) => s.flop());
    case 3:
      return step(upright, (s) => s.rotate(180));
    case 4:
      return step(upright, (s) => s.flip());
    case 5:
      return step(await step(upright, (s) => s.rotate(90)), (s) => s.flop());
    case 6:
      return step(upright, (s) => s.rotate(270));
    case 7:
      return step(await step(upright, (s) => s.rotate(270)), (s) => s.flop());
    case 8:
      return step(upright, (s) => s.rotate(90));
    default:
      return upright;
  }
}

describeWithShared('EXIF orientation', () => {
  const work = tempDir();
  const photos = path.join(work, 'photos');
  let files: FileInfo[];
  let faces: FaceInfo[];

  beforeAll(async () => {
    fs.mkdirSync(photos);
    const upright = await sharp(sharedPhotos('faces-celebs', 'couple.jpg')).resize(1200).jpeg({ quality: 95 }).toBuffer();
    for (let orientation = 1; orientation <= 8; orientation++) {
      const stored = await storedFor(upright, orientation);
      await sharp(stored)
        .withMetadata({ orientation })
        .jpeg({ quality: 95 })
        .toFile(path.join(photos, `o${orientation}.jpg`));
    }
    const engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    try {
      await engine.index([photos]);
      files = unwrap(await engine.call('library.files', {}));
      faces = unwrap(await engine.call('library.faces', {}));
    } finally {
      engine.close();
    }
  }, 120_000);

  it('reports upright dimensions for every orientation', () => {
    const reference = files.find((f) => f.path.endsWith('o1.jpg'))!;
    for (const file of files) expect([file.width, file.height]).toEqual([reference.width, reference.height]);
  });

  it('finds the same faces at the same upright places under all eight orientations', () => {
    const facesOf = (name: string) => faces.filter((f) => f.photo.endsWith(name));
    const reference = facesOf('o1.jpg');
    expect(reference).toHaveLength(2);
    for (let orientation = 2; orientation <= 8; orientation++) {
      const rotated = facesOf(`o${orientation}.jpg`);
      expect(rotated, `orientation ${orientation}`).toHaveLength(reference.length);
      for (const face of reference) {
        const best = Math.max(...rotated.map((r) => intersectionOverUnion(face.box, r.box)));
        expect(best, `orientation ${orientation}`).toBeGreaterThan(0.8);
      }
    }
  });
});

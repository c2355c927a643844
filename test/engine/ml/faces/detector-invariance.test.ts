import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import type { YuNetDetector } from '../../../../src/engine/ml/faces/detector';
import { boxIou } from '../../../../src/engine/ml/faces/nms';
import type { DetectedFace } from '../../../../src/engine/ml/faces/types';
import { describeWithShared, sharedPhotos } from '../../../support/shared';
import { createDetector } from './face-models';
import { loadPhoto } from './load-photo';

/** Portraits, a couple, two-face overlap and a 14-face group: a spread of face sizes and counts. */
const PHOTOS = [
  sharedPhotos('faces-celebs', 'img17.jpg'),
  sharedPhotos('faces-celebs', 'couple.jpg'),
  sharedPhotos('faces-album', 'overlap_1.jpg'),
  sharedPhotos('groups', '6.jpg'),
  sharedPhotos('groups', '20.jpg'),
];

interface Variant {
  name: string;
  make: (input: sharp.Sharp) => sharp.Sharp;
  mirrored?: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'mirrored', make: (s) => s.flop().png(), mirrored: true },
  { name: 'grayscale', make: (s) => s.grayscale().png() },
  // A quarter of the pixels (half of each side): big enough that the 14-face group keeps faces YuNet can see.
  { name: 'quarter size', make: (s) => s.resize({ width: 800, height: 800, fit: 'inside' }).png() },
  { name: 'JPEG quality 10', make: (s) => s.jpeg({ quality: 10 }) },
  { name: 'PNG', make: (s) => s.png() },
  { name: 'WebP', make: (s) => s.webp({ quality: 75 }) },
  { name: 'TIFF', make: (s) => s.tiff({ compression: 'lzw' }) },
];

/** Scores this far above the 0.7 threshold are not expected to flip under a harmless transform. */
const CONFIDENT = 0.8;

/** Box in fractions of the image, so faces compare across sizes (and, mirrored, across flips). */
function normalisedBox(face: DetectedFace, width: number, height: number, mirrored: boolean): DetectedFace['box'] {
  const [x, y, w, h] = face.box;
  return [(mirrored ? width - x - w : x) / width, y / height, w / width, h / height];
}

async function detectNormalised(detector: YuNetDetector, input: string | Buffer, mirrored = false) {
  const { image } = await loadPhoto(input);
  const faces = await detector.detect(image);
  return faces.map((face) => ({ score: face.score, box: normalisedBox(face, image.width, image.height, mirrored), face }));
}

type Found = Awaited<ReturnType<typeof detectNormalised>>;

/** Confident faces of `a` that have no face of `b` over them (IoU >= 0.5). */
function unmatched(a: Found, b: Found): string[] {
  return a
    .filter((fa) => fa.score >= CONFIDENT && !b.some((fb) => boxIou(fa.box, fb.box) >= 0.5))
    .map((fa) => fa.box.map((v) => v.toFixed(3)).join(','));
}

describeWithShared('YuNetDetector finds the same faces under harmless transforms', () => {
  let detector: YuNetDetector;
  /** Each photo at the analysis size (re-encoded once, so the slow PNG/TIFF encoders see 1600 px, not 12 MP). */
  const sources = new Map<string, { buffer: Buffer; faces: Found }>();
  beforeAll(async () => {
    detector = await createDetector();
    for (const file of PHOTOS) {
      const buffer = await sharp(file)
        .rotate()
        .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 95 })
        .toBuffer();
      sources.set(file, { buffer, faces: await detectNormalised(detector, buffer) });
    }
  });

  it('has faces to compare (guards against a vacuous pass)', () => {
    const total = [...sources.values()].reduce((n, s) => n + s.faces.filter((f) => f.score >= CONFIDENT).length, 0);
    expect(total).toBeGreaterThanOrEqual(25);
  });

  for (const variant of VARIANTS) {
    it(`${variant.name}`, async () => {
      const problems: string[] = [];
      for (const [file, { buffer: source, faces: original }] of sources) {
        const buffer = await variant.make(sharp(source)).toBuffer();
        const transformed = await detectNormalised(detector, buffer, variant.mirrored);
        const lost = unmatched(original, transformed);
        const extra = unmatched(transformed, original);
        if (lost.length || extra.length) problems.push(`${file}: lost ${lost.join(' ')}; extra ${extra.join(' ')}`);
        if (variant.mirrored) {
          // Landmark order stays image-left first: after a flip the person's other eye is on the left.
          for (const { face } of transformed) expect(face.landmarks[0]![0]).toBeLessThan(face.landmarks[1]![0]);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALIGNED_SIZE,
  ARCFACE_TEMPLATE,
  alignFace,
  alignmentTransform,
  applySimilarity,
  estimateSimilarity,
} from '../../../../src/engine/ml/faces/align';
import type { YuNetDetector } from '../../../../src/engine/ml/faces/detector';
import type { Point } from '../../../../src/common/api/library';
import type { RgbImage } from '../../../../src/engine/imaging/rgb-image';
import { describeWithShared, readLabels, sharedPhotos } from '../../../support/shared';
import { createDetector } from './face-models';
import { loadPhoto } from './load-photo';

/** Template eye distance: errors are reported as a fraction of it. */
const TEMPLATE_EYE_DISTANCE = ARCFACE_TEMPLATE[1]![0] - ARCFACE_TEMPLATE[0]![0];

describe('estimateSimilarity', () => {
  it('recovers a known rotation, scale and translation exactly', () => {
    const angle = 0.4;
    const scale = 2.5;
    const truth = { a: scale * Math.cos(angle), b: scale * Math.sin(angle), tx: 13, ty: -7 };
    const from: Point[] = [
      [0, 0],
      [10, 1],
      [4, 9],
      [-3, 6],
      [7, -5],
    ];
    const to = from.map((p) => applySimilarity(truth, p));
    const estimate = estimateSimilarity(from, to);
    for (const key of ['a', 'b', 'tx', 'ty'] as const) expect(estimate[key]).toBeCloseTo(truth[key], 9);
  });

  it('is the least-squares fit when the points do not fit exactly (moving any parameter raises the error)', () => {
    const from: Point[] = [
      [0, 0],
      [10, 0],
      [5, 6],
      [1, 10],
      [9, 11],
    ];
    const to: Point[] = [
      [1, 2],
      [21, 3],
      [10, 14],
      [4, 21],
      [18, 21],
    ];
    const sse = (t: ReturnType<typeof estimateSimilarity>) =>
      from.reduce((s, p, i) => s + (applySimilarity(t, p)[0] - to[i]![0]) ** 2 + (applySimilarity(t, p)[1] - to[i]![1]) ** 2, 0);
    const best = estimateSimilarity(from, to);
    for (const key of ['a', 'b', 'tx', 'ty'] as const) {
      for (const delta of [-1e-3, 1e-3]) expect(sse({ ...best, [key]: best[key] + delta })).toBeGreaterThan(sse(best));
    }
  });
});

describe('alignFace', () => {
  it('samples the source pixel the transform points at (a synthetic image with a known bright spot)', () => {
    // A black image with one white 3x3 spot at the place the template's nose maps back to.
    const image: RgbImage = { width: 200, height: 200, data: new Uint8Array(200 * 200 * 3) };
    const landmarks = ARCFACE_TEMPLATE.map(([x, y]) => [x * 1.5 + 20, y * 1.5 + 30] as Point);
    const [nx, ny] = [Math.round(landmarks[2]![0]), Math.round(landmarks[2]![1])];
    for (let y = ny - 1; y <= ny + 1; y++)
      for (let x = nx - 1; x <= nx + 1; x++) image.data.fill(255, (y * 200 + x) * 3, (y * 200 + x) * 3 + 3);
    const crop = alignFace(image, landmarks);
    expect(crop).toHaveLength(ALIGNED_SIZE * ALIGNED_SIZE * 3);
    const at = (x: number, y: number) => crop[(Math.round(y) * ALIGNED_SIZE + Math.round(x)) * 3]!;
    expect(at(ARCFACE_TEMPLATE[2]![0], ARCFACE_TEMPLATE[2]![1])).toBeGreaterThan(200);
    expect(at(ARCFACE_TEMPLATE[0]![0], ARCFACE_TEMPLATE[0]![1])).toBe(0);
  });
});

describe('alignFace, bicubic', () => {
  const landmarks = ARCFACE_TEMPLATE.map(([x, y]) => [x * 0.6 + 10, y * 0.6 + 12] as Point); // a face enlarged ×1.7

  it('reproduces a linear ramp exactly, as bilinear does (a cubic kernel is exact on linear images)', () => {
    const image: RgbImage = { width: 100, height: 100, data: new Uint8Array(100 * 100 * 3) };
    for (let y = 0; y < 100; y++) for (let x = 0; x < 100; x++) image.data.fill(x + y, (y * 100 + x) * 3, (y * 100 + x) * 3 + 3);
    const cubic = alignFace(image, landmarks, 'bicubic');
    const linear = alignFace(image, landmarks);
    const worst = cubic.reduce((m, v, i) => Math.max(m, Math.abs(v - linear[i]!)), 0);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('keeps an edge steeper than bilinear when enlarging, and reads black outside the image', () => {
    // A vertical black/white edge through the middle of a small source.
    const image: RgbImage = { width: 80, height: 80, data: new Uint8Array(80 * 80 * 3) };
    for (let y = 0; y < 80; y++) image.data.fill(255, (y * 80 + 40) * 3, (y * 80 + 80) * 3);
    const steepest = (crop: Uint8Array): number => {
      let best = 0;
      for (let x = 1; x < ALIGNED_SIZE; x++)
        best = Math.max(best, crop[(56 * ALIGNED_SIZE + x) * 3]! - crop[(56 * ALIGNED_SIZE + x - 1) * 3]!);
      return best;
    };
    expect(steepest(alignFace(image, landmarks, 'bicubic'))).toBeGreaterThan(steepest(alignFace(image, landmarks)));
    const shifted = landmarks.map(([x, y]) => [x - 60, y] as Point); // the crop's left part lies left of the image
    expect(alignFace(image, shifted, 'bicubic')[(56 * ALIGNED_SIZE + 2) * 3]).toBe(0);
  });
});

describeWithShared('alignment of detected faces', () => {
  let detector: YuNetDetector;
  beforeAll(async () => {
    detector = await createDetector();
  });

  it('maps the five detected landmarks of every celeb portrait onto the ArcFace template closely', async () => {
    const errors: number[] = [];
    for (const { file } of readLabels(sharedPhotos('faces-celebs', 'labels.csv')).slice(0, 30)) {
      const { image } = await loadPhoto(sharedPhotos('faces-celebs', file!));
      const faces = await detector.detect(image);
      const face = faces.sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0]!;
      const transform = alignmentTransform(face.landmarks);
      const rms = Math.sqrt(
        face.landmarks.reduce((s, p, i) => {
          const [x, y] = applySimilarity(transform, p);
          return s + (x - ARCFACE_TEMPLATE[i]![0]) ** 2 + (y - ARCFACE_TEMPLATE[i]![1]) ** 2;
        }, 0) / 5,
      );
      errors.push(rms / TEMPLATE_EYE_DISTANCE);
    }
    errors.sort((a, b) => a - b);
    // Faces differ from the template (pose, expression), so the residual is not zero: measured on all
    // 64 celeb faces it is 0.03-0.13 eye distances (median 0.08). With left/right swapped it is >= 0.62.
    expect(errors[Math.floor(errors.length / 2)]!).toBeLessThan(0.12);
    expect(errors[errors.length - 1]!).toBeLessThan(0.2);
  });

  it('produces a crop in which the detector finds the face again, landmarks on the template', async () => {
    const { image } = await loadPhoto(sharedPhotos('astronaut.png'));
    const [face] = await detector.detect(image);
    const crop = alignFace(image, face!.landmarks);
    // Pad the 112 crop to 224 (black) so the face is not touching the border YuNet was trained without.
    const padded: RgbImage = { width: 224, height: 224, data: new Uint8Array(224 * 224 * 3) };
    for (let y = 0; y < ALIGNED_SIZE; y++)
      padded.data.set(crop.subarray(y * ALIGNED_SIZE * 3, (y + 1) * ALIGNED_SIZE * 3), ((y + 56) * 224 + 56) * 3);
    const [again] = await detector.detect(padded);
    expect(again).toBeDefined();
    again!.landmarks.forEach(([x, y], i) => {
      expect(Math.hypot(x - 56 - ARCFACE_TEMPLATE[i]![0], y - 56 - ARCFACE_TEMPLATE[i]![1])).toBeLessThan(0.2 * TEMPLATE_EYE_DISTANCE);
    });
  });
});

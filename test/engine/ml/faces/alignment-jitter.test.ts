import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Point } from '../../../../src/common/api/library';
import { alignmentTransform, applySimilarity, ARCFACE_TEMPLATE } from '../../../../src/engine/ml/faces/align';
import { ALIGNMENT_JITTER, jitteredLandmarks } from '../../../../src/engine/ml/faces/alignment-jitter';
import type { YuNetDetector } from '../../../../src/engine/ml/faces/detector';
import type { FaceEmbedder } from '../../../../src/engine/ml/faces/embedder';
import { analyzeFaces } from '../../../../src/engine/ml/faces/face-analyzer';
import { enlargedByAlignment } from '../../../../src/engine/ml/faces/landmark-refinement';
import { dot } from '../../../../src/engine/ml/vector-math';
import { degradationFor, degradedFace } from '../../../../bench/people/hard-set';
import { describeWithShared, readLabels, sharedPhotos } from '../../../support/shared';
import { createDetector, createEmbedder } from './face-models';
import { loadPhoto } from './load-photo';

describe('jittered alignments', () => {
  // A face 60 px wide, rotated 10° and offset, as the detector might report it.
  const angle = (10 * Math.PI) / 180;
  const face: Point[] = ARCFACE_TEMPLATE.map(([x, y]) => [
    200 + 0.55 * (x * Math.cos(angle) - y * Math.sin(angle)),
    80 + 0.55 * (x * Math.sin(angle) + y * Math.cos(angle)),
  ]);
  const centre = ARCFACE_TEMPLATE.reduce<Point>(([x, y], p) => [x + p[0] / 5, y + p[1] / 5], [0, 0]);

  it('warp the face as aligning it onto the template scaled about its centre and shifted would', () => {
    const plain = alignmentTransform(face);
    for (const jitter of ALIGNMENT_JITTER) {
      const warp = alignmentTransform(jitteredLandmarks(face, jitter));
      face.forEach((point) => {
        const [u, v] = applySimilarity(plain, point);
        const expected = [centre[0] + jitter.scale * (u - centre[0]) + jitter.dx, centre[1] + jitter.scale * (v - centre[1]) + jitter.dy];
        const [x, y] = applySimilarity(warp, point);
        expect(x).toBeCloseTo(expected[0]!, 6);
        expect(y).toBeCloseTo(expected[1]!, 6);
      });
    }
  });

  it('leave the landmarks where they are when the template is not moved', () => {
    jitteredLandmarks(face, { scale: 1, dx: 0, dy: 0 }).forEach(([x, y], i) => {
      expect(x).toBeCloseTo(face[i]![0], 9);
      expect(y).toBeCloseTo(face[i]![1], 9);
    });
  });
});

describeWithShared('analyzeFaces embeds enlarged faces from jittered alignments (real models)', () => {
  let detector: YuNetDetector;
  let embedder: FaceEmbedder;
  beforeAll(async () => {
    [detector, embedder] = await Promise.all([createDetector(), createEmbedder()]);
  });

  it('embeds a small degraded face from five alignments and their mirrors, pooled close to its plain embedding', async () => {
    const file = readLabels(sharedPhotos('faces-lfw-dev', 'labels.csv'))[0]!.file!;
    const full = path.join(sharedPhotos('faces-lfw-dev', 'images'), file);
    const { image: photo } = await loadPhoto(full);
    const [reference] = await detector.detect(photo);
    const { image } = await loadPhoto(await degradedFace(full, reference!.box, degradationFor(file)));
    const embed = vi.spyOn(embedder, 'embed');
    try {
      const [jittered] = await analyzeFaces(image, { detector, embedder, scale: 1 });
      const crops = embed.mock.calls.at(-1)![0].length;
      const [plain] = await analyzeFaces(image, { detector, embedder, scale: 1, jitterEnlarged: false });
      expect(enlargedByAlignment(jittered!)).toBe(true);
      expect(crops).toBe(2 * (1 + ALIGNMENT_JITTER.length));
      expect(embed.mock.calls.at(-1)![0]).toHaveLength(2);
      const similarity = dot(jittered!.embedding, plain!.embedding);
      expect(similarity).toBeLessThan(0.9999);
      expect(similarity).toBeGreaterThan(0.95);
    } finally {
      embed.mockRestore();
    }
  });

  it('embeds a portrait, which the warp shrinks, exactly as before: one alignment and its mirror', async () => {
    const { image } = await loadPhoto(sharedPhotos('faces-celebs', 'img17.jpg'), 1600);
    const embed = vi.spyOn(embedder, 'embed');
    try {
      const [withJitter] = await analyzeFaces(image, { detector, embedder, scale: 1 });
      expect(embed.mock.calls.at(-1)![0]).toHaveLength(2);
      const [without] = await analyzeFaces(image, { detector, embedder, scale: 1, jitterEnlarged: false });
      expect(Array.from(withJitter!.embedding)).toEqual(Array.from(without!.embedding));
    } finally {
      embed.mockRestore();
    }
  });
});

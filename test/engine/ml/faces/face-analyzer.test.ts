import { beforeAll, expect, it } from 'vitest';
import type { FaceEmbedder } from '../../../../src/engine/ml/faces/embedder';
import { dot as cosineSimilarity } from '../../../../src/engine/ml/vector-math';
import type { YuNetDetector } from '../../../../src/engine/ml/faces/detector';
import { analyzeFaces } from '../../../../src/engine/ml/faces/face-analyzer';
import { boxIou } from '../../../../src/engine/ml/faces/nms';
import { describeWithShared, sharedPhotos } from '../../../support/shared';
import { createDetector, createEmbedder } from './face-models';
import { loadPhoto } from './load-photo';

describeWithShared('analyzeFaces', () => {
  let detector: YuNetDetector;
  let embedder: FaceEmbedder;
  beforeAll(async () => {
    [detector, embedder] = await Promise.all([createDetector(), createEmbedder()]);
  });

  it('returns the same faces in ORIGINAL pixels whatever analysis size the spine decoded at', async () => {
    // couple.jpg is 2280x1588: decoded at 1600 (scale 0.70) and at 800 (scale 0.35).
    const file = sharedPhotos('faces-celebs', 'couple.jpg');
    const large = await loadPhoto(file, 1600);
    const small = await loadPhoto(file, 800);
    const [a, b] = [
      await analyzeFaces(large.image, { detector, embedder, scale: large.scale }),
      await analyzeFaces(small.image, { detector, embedder, scale: small.scale }),
    ];
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    for (const face of a) {
      expect(face.box[0] + face.box[2]).toBeLessThanOrEqual(2280 + 5);
      const twin = b.find((other) => boxIou(face.box, other.box) > 0.8);
      expect(twin).toBeDefined();
      expect(Math.abs(twin!.quality.size - face.quality.size) / face.quality.size).toBeLessThan(0.1);
      expect(cosineSimilarity(face.embedding, twin!.embedding)).toBeGreaterThan(0.8);
      face.landmarks.forEach(([x, y], i) =>
        expect(Math.hypot(x - twin!.landmarks[i]![0], y - twin!.landmarks[i]![1])).toBeLessThan(0.1 * face.box[2]),
      );
    }
  });

  it('returns nothing for a photo without faces', async () => {
    const { image, scale } = await loadPhoto(sharedPhotos('faces-album', '14.jpg'));
    expect(await analyzeFaces(image, { detector, embedder, scale })).toEqual([]);
  });
});

import type { InferenceSession } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALIGNED_SIZE, alignFace } from '../../src/engine/ml/faces/align';
import type { YuNetDetector } from '../../src/engine/ml/faces/detector';
import { cosineSimilarity, FaceEmbedder, SFACE_INPUT } from '../../src/engine/ml/faces/embedder';
import { describeWithShared, readLabels, sharedPhotos } from '../support/shared';
import { createDetector, createEmbedder } from './face-models';
import { loadPhoto } from './load-photo';
import { rocAuc } from './roc-auc';

describe('FaceEmbedder input packing', () => {
  it('applies the spec channel order, mean and std (checked on the tensor a stub session receives)', async () => {
    let received: Float32Array | undefined;
    const stub = {
      inputNames: ['input'],
      outputNames: ['out'],
      run: async (feeds: Record<string, { data: Float32Array }>) => {
        received = feeds.input!.data;
        return { out: { data: new Float32Array([3, 4]) } };
      },
    } as unknown as InferenceSession;
    const crop = new Uint8Array(ALIGNED_SIZE * ALIGNED_SIZE * 3);
    crop.set([10, 20, 30]); // first pixel R=10 G=20 B=30
    const embedder = FaceEmbedder.fromSession(stub, { size: ALIGNED_SIZE, channelOrder: 'bgr', mean: [5, 5, 5], std: [5, 5, 5] });
    const [embedding] = await embedder.embed([crop]);
    const plane = ALIGNED_SIZE * ALIGNED_SIZE;
    expect([received![0], received![plane], received![2 * plane]]).toEqual([5, 3, 1]); // (B, G, R - 5) / 5
    expect(Array.from(embedding!)).toEqual([0.6, 0.8].map((v) => Math.fround(v)));
    expect(SFACE_INPUT).toMatchObject({ channelOrder: 'rgb', mean: [0, 0, 0], std: [1, 1, 1] });
  });
});

describeWithShared('MobileFaceNet embeddings of real faces', () => {
  let detector: YuNetDetector;
  let embedder: FaceEmbedder;
  /** Embedding of the largest face of every labelled single-person celeb photo. */
  const celebs: { identity: string; embedding: Float32Array; crop: Uint8Array }[] = [];
  beforeAll(async () => {
    [detector, embedder] = await Promise.all([createDetector(), createEmbedder()]);
    for (const { file, identity } of readLabels(sharedPhotos('faces-celebs', 'labels.csv'))) {
      if (identity!.startsWith('MULTI:')) continue;
      const { image } = await loadPhoto(sharedPhotos('faces-celebs', file!));
      const face = (await detector.detect(image)).sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0]!;
      const crop = alignFace(image, face.landmarks);
      celebs.push({ identity: identity!, crop, embedding: (await embedder.embed([crop]))[0]! });
    }
  });

  it('separates same-person from different-person pairs on faces-celebs with ROC AUC >= 0.99', () => {
    const same: number[] = [];
    const different: number[] = [];
    for (let i = 0; i < celebs.length; i++) {
      for (let j = i + 1; j < celebs.length; j++) {
        (celebs[i]!.identity === celebs[j]!.identity ? same : different).push(cosineSimilarity(celebs[i]!.embedding, celebs[j]!.embedding));
      }
    }
    expect(same.length).toBeGreaterThan(100);
    const auc = rocAuc(same, different);
    console.info(`faces-celebs: ${celebs.length} faces, ${same.length} same / ${different.length} different pairs, ROC AUC ${auc.toFixed(4)}`);
    expect(auc).toBeGreaterThanOrEqual(0.99);
  });

  it('returns unit-length 128-d vectors, the same batched or one by one', async () => {
    const crops = celebs.slice(0, 5).map((c) => c.crop);
    const batched = await embedder.embed(crops);
    expect(batched).toHaveLength(5);
    batched.forEach((vector, i) => {
      expect(vector).toHaveLength(128);
      expect(cosineSimilarity(vector, vector)).toBeCloseTo(1, 5);
      expect(cosineSimilarity(vector, celebs[i]!.embedding)).toBeGreaterThan(0.9999);
    });
  });
});

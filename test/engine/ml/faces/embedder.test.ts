import type { InferenceSession } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALIGNED_SIZE, alignFace } from '../../../../src/engine/ml/faces/align';
import type { YuNetDetector } from '../../../../src/engine/ml/faces/detector';
import sharp from 'sharp';
import { FaceEmbedder, SFACE_INPUT } from '../../../../src/engine/ml/faces/embedder';
import { dot as cosineSimilarity } from '../../../../src/engine/ml/vector-math';
import { faceQuality, FULL_EVIDENCE_QUALITY } from '../../../../src/engine/ml/faces/quality';
import { describeWithShared, readLabels, sharedPhotos } from '../../../support/shared';
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
  const celebs: { file: string; identity: string; embedding: Float32Array; crop: Uint8Array; buffer: Buffer }[] = [];
  beforeAll(async () => {
    [detector, embedder] = await Promise.all([createDetector(), createEmbedder()]);
    for (const { file, identity } of readLabels(sharedPhotos('faces-celebs', 'labels.csv'))) {
      if (identity!.startsWith('MULTI:')) continue;
      const { image } = await loadPhoto(sharedPhotos('faces-celebs', file!));
      const face = (await detector.detect(image)).sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0]!;
      const crop = alignFace(image, face.landmarks);
      // Kept at 800 px so the quality test below can degrade it cheaply.
      const buffer = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
        .resize({ width: 800, height: 800, fit: 'inside' })
        .png()
        .toBuffer();
      celebs.push({ file: file!, identity: identity!, crop, buffer, embedding: (await embedder.embed([crop]))[0]! });
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
    console.info(
      `faces-celebs: ${celebs.length} faces, ${same.length} same / ${different.length} different pairs, ROC AUC ${auc.toFixed(4)}`,
    );
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

  it(`quality predicts recognisability: faces under ${FULL_EVIDENCE_QUALITY} match their person far worse`, async () => {
    // Every third celeb, shrunk so the face is ~14 px or ~48 px, or blurred by 5% of the face size.
    const low: { same: number[]; different: number[] } = { same: [], different: [] };
    const high: { same: number[]; different: number[] } = { same: [], different: [] };
    for (const probe of celebs.filter((_, i) => i % 3 === 0)) {
      const { image } = await loadPhoto(probe.buffer);
      const face = (await detector.detect(image)).sort((a, b) => b.box[2] - a.box[2])[0]!;
      const faceSize = Math.min(face.box[2], face.box[3]);
      const variants = [
        sharp(probe.buffer).resize({ width: Math.max(32, Math.round((image.width * 14) / faceSize)) }),
        sharp(probe.buffer).resize({ width: Math.round((image.width * 48) / faceSize) }),
        sharp(probe.buffer).blur(Math.max(0.3, faceSize * 0.05)),
      ];
      for (const variant of variants) {
        const degraded = await loadPhoto(await variant.png().toBuffer());
        const found = (await detector.detect(degraded.image)).sort((a, b) => b.box[2] - a.box[2])[0];
        if (!found) continue;
        const crop = alignFace(degraded.image, found.landmarks);
        const [embedding] = await embedder.embed([crop]);
        const bucket = faceQuality({ face: found, aligned: crop, scale: 1 }).quality < FULL_EVIDENCE_QUALITY ? low : high;
        for (const other of celebs) {
          if (other.file === probe.file) continue;
          (other.identity === probe.identity ? bucket.same : bucket.different).push(cosineSimilarity(embedding!, other.embedding));
        }
      }
    }
    const [lowAuc, highAuc] = [rocAuc(low.same, low.different), rocAuc(high.same, high.different)];
    console.info(
      `degraded celeb faces: quality < ${FULL_EVIDENCE_QUALITY}: ${low.same.length} same pairs, AUC ${lowAuc.toFixed(4)}; quality >= ${FULL_EVIDENCE_QUALITY}: ${high.same.length} same pairs, AUC ${highAuc.toFixed(4)}`,
    );
    expect(low.same.length).toBeGreaterThan(20);
    expect(high.same.length).toBeGreaterThan(20);
    expect(highAuc).toBeGreaterThanOrEqual(0.98);
    expect(lowAuc).toBeLessThan(highAuc - 0.05);
  });
});

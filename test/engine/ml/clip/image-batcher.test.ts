import { beforeAll, expect, it } from 'vitest';
import type { RgbImage } from '../../../../src/engine/imaging/rgb-image';
import type { ClipModel } from '../../../../src/engine/ml/clip/clip-model';
import { ImageBatcher } from '../../../../src/engine/ml/clip/image-batcher';
import { describeWithShared } from '../../../support/shared';
import { loadTinyClip } from '../../search/tiny-clip-model';

function solid(rgb: [number, number, number], width = 64, height = 48): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { data, width, height };
}

describeWithShared('ImageBatcher: photos in flight share encoder runs (tiny CLIP, real onnxruntime)', () => {
  let clip: ClipModel;
  beforeAll(async () => ({ clip } = await loadTinyClip()));

  it('photos that ask while a run is busy go into the next run together, each getting its own vector', async () => {
    const runs: number[] = [];
    const batcher = new ImageBatcher(async (images) => {
      runs.push(images.length);
      return clip.embedImages(images);
    }, 4);
    const images = Array.from({ length: 7 }, (_, i) => solid([30 * i, 200 - 20 * i, 90]));
    const batched = await Promise.all(images.map((image) => batcher.embed(image)));
    expect(runs).toEqual([1, 4, 2]); // the first runs at once; the rest wait for it, at most four a run
    for (let i = 0; i < images.length; i++) expect(Array.from(batched[i]!)).toEqual(Array.from(await clip.embedImage(images[i]!)));
  });

  it('a photo the encoder rejects fails alone, not the photos it shared a run with', async () => {
    const batcher = new ImageBatcher((images) => clip.embedImages(images));
    const broken: RgbImage = { data: new Uint8Array(10), width: 64, height: 48 }; // fewer bytes than its size says
    const good = [solid([200, 30, 30]), solid([30, 30, 200])];
    const first = batcher.embed(solid([90, 90, 90])); // busy, so the next three share a run
    const results = await Promise.allSettled([batcher.embed(good[0]!), batcher.embed(broken), batcher.embed(good[1]!)]);
    await first;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(Array.from((results[0] as PromiseFulfilledResult<Float32Array>).value)).toEqual(Array.from(await clip.embedImage(good[0]!)));
  });
});

describeWithShared('ImageBatcher: an encoder that returns too few vectors (tiny CLIP, real onnxruntime)', () => {
  it('rejects the photos it has no vector for with a clear error, and the others still get their own', async () => {
    const { clip } = await loadTinyClip();
    // A faulty model: in a shared run it drops the last vector; alone, it fails only on the dark image.
    const dark = solid([5, 5, 5]);
    const batcher = new ImageBatcher(async (images) => {
      const vectors = await clip.embedImages(images);
      return images.length > 1 || images[0] === dark ? vectors.slice(0, -1) : vectors;
    });
    const first = batcher.embed(solid([90, 90, 90])); // busy, so the next three share a run
    const good = [solid([200, 30, 30]), solid([30, 30, 200])];
    const results = await Promise.allSettled([batcher.embed(good[0]!), batcher.embed(dark), batcher.embed(good[1]!)]);
    await first;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('returned 0 embeddings for 1 images');
    expect(Array.from((results[2] as PromiseFulfilledResult<Float32Array>).value)).toEqual(Array.from(await clip.embedImage(good[1]!)));
  });
});

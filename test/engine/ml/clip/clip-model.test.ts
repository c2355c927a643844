import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { RgbImage } from '../../../../src/engine/imaging/rgb-image';
import { ClipModel, sharedSessionFactory } from '../../../../src/engine/ml/clip/clip-model';
import { dot } from '../../../../src/engine/ml/vector-math';
import type { TinyClip } from '../../../fixtures/tiny-clip/generate';
import { describeWithShared } from '../../../support/shared';
import { tempDir } from '../../../support/temp';
import { loadTinyClip } from '../../search/tiny-clip-model';

function solid(rgb: [number, number, number], width = 320, height = 240): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { data, width, height };
}

describeWithShared('ClipModel on the generated tiny CLIP (real onnxruntime sessions)', () => {
  let clip: ClipModel;
  let tiny: TinyClip;
  beforeAll(async () => ({ clip, tiny } = await loadTinyClip()));

  it('returns unit-length embeddings of the manifest dimension', async () => {
    const [image, text] = [await clip.embedImage(solid([200, 40, 30])), await clip.embedText('a photo of red')];
    expect(image).toHaveLength(8);
    expect(dot(image, image)).toBeCloseTo(1, 5);
    expect(dot(text, text)).toBeCloseTo(1, 5);
  });

  it('puts colour words next to photos of that colour', async () => {
    const [red, green, blue] = await clip.embedImages([solid([220, 30, 30]), solid([30, 200, 40]), solid([20, 40, 210])]);
    const [redText, greenText, blueText] = await clip.embedTexts(['a photo of red', 'green', 'blue things']);
    expect(dot(red!, redText!)).toBeGreaterThan(dot(red!, greenText!));
    expect(dot(red!, redText!)).toBeGreaterThan(dot(red!, blueText!));
    expect(dot(green!, greenText!)).toBeGreaterThan(dot(green!, redText!));
    expect(dot(blue!, blueText!)).toBeGreaterThan(dot(blue!, redText!));
  });

  it('embeds a batch exactly as one image at a time', async () => {
    const images = [solid([220, 30, 30], 500, 200), solid([90, 90, 90], 100, 300)];
    const batch = await clip.embedImages(images);
    for (const [i, image] of images.entries()) {
      const single = await clip.embedImage(image);
      single.forEach((v, j) => expect(batch[i]![j]).toBeCloseTo(v, 5));
    }
  });

  it('applies the prompt template from the manifest', () => {
    expect(clip.prompt('dogs on a beach')).toBe('a photo of dogs on a beach');
  });

  it('says how to download a model whose files are missing', async () => {
    const files = { ...tiny.files, visual: path.join(tempDir(), 'missing.onnx') };
    await expect(ClipModel.load(tiny.entry, files, sharedSessionFactory('cpu'))).rejects.toMatchObject({
      code: 'model_missing',
      message: expect.stringContaining('facet models download tiny-clip-colours'),
    });
  });

  it('reports a corrupt model file as model_corrupt', async () => {
    const broken = path.join(tempDir(), 'model.onnx');
    fs.writeFileSync(broken, fs.readFileSync(tiny.files.visual!).subarray(0, 200));
    await expect(ClipModel.load(tiny.entry, { ...tiny.files, visual: broken }, sharedSessionFactory('cpu'))).rejects.toMatchObject({
      code: 'model_corrupt',
    });
  });
});

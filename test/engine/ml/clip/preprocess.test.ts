import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../../src/engine/imaging/rgb-image';
import { centerOffset, clipPixelValues, shortestSideSize } from '../../../../src/engine/ml/clip/preprocess';

const MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
const STD = [0.26862954, 0.26130258, 0.27577711] as const;
const P = { imageSize: 224, resizeMode: 'shortest', crop: 'center', mean: MEAN, std: STD } as const;

function solid(width: number, height: number, colour: (x: number, y: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  return { data, width, height };
}

/** The value CLIP feeds for an 8-bit channel value, written out from the README's formula. */
const expected = (value: number, channel: 0 | 1 | 2) => (value / 255 - MEAN[channel]) / STD[channel];
const at = (t: Float32Array, c: number, y: number, x: number) => t[c * 224 * 224 + y * 224 + x]!;

describe('CLIP preprocessing', () => {
  it('follows torchvision: short side to 224 with int() for the long side, centre crop rounding halves to even', () => {
    expect(shortestSideSize(640, 480, 224)).toEqual({ width: 298, height: 224 }); // int(224*640/480) = int(298.67)
    expect(shortestSideSize(200, 500, 224)).toEqual({ width: 224, height: 560 });
    expect(centerOffset(298, 224)).toBe(37);
    expect(centerOffset(225, 224)).toBe(0); // round(0.5) = 0 in Python
    expect(centerOffset(227, 224)).toBe(2); // round(1.5) = 2
  });

  it('normalises a solid colour to (v/255 − mean)/std in every pixel, CHW', async () => {
    const t = await clipPixelValues(
      solid(300, 200, () => [50, 100, 150]),
      P,
    );
    expect(t).toHaveLength(3 * 224 * 224);
    for (const [y, x] of [
      [0, 0],
      [111, 150],
      [223, 223],
    ] as const) {
      expect(at(t, 0, y, x)).toBeCloseTo(expected(50, 0), 5);
      expect(at(t, 1, y, x)).toBeCloseTo(expected(100, 1), 5);
      expect(at(t, 2, y, x)).toBeCloseTo(expected(150, 2), 5);
    }
  });

  it('crops the centre: a 448×224 red|blue image keeps columns 112..335, so the split sits at x = 112', async () => {
    const t = await clipPixelValues(
      solid(448, 224, (x) => (x < 224 ? [255, 0, 0] : [0, 0, 255])),
      P,
    );
    expect(at(t, 0, 10, 0)).toBeCloseTo(expected(255, 0), 5);
    expect(at(t, 2, 10, 111)).toBeCloseTo(expected(0, 2), 5);
    expect(at(t, 0, 10, 112)).toBeCloseTo(expected(0, 0), 5);
    expect(at(t, 2, 200, 223)).toBeCloseTo(expected(255, 2), 5);
  });

  it('keeps a 224×224 image pixel for pixel (no resample), row-major per channel', async () => {
    const t = await clipPixelValues(
      solid(224, 224, (x, y) => [x, y, (x + y) % 256]),
      P,
    );
    expect(at(t, 0, 5, 17)).toBeCloseTo(expected(17, 0), 5);
    expect(at(t, 1, 5, 17)).toBeCloseTo(expected(5, 1), 5);
    expect(at(t, 2, 200, 100)).toBeCloseTo(expected(300 % 256, 2), 5);
  });

  it('squash mode resizes to 224×224 without cropping (SigLIP-style exports)', async () => {
    const t = await clipPixelValues(
      solid(448, 224, (x) => (x < 224 ? [255, 0, 0] : [0, 0, 255])),
      { ...P, resizeMode: 'squash', crop: 'none' },
    );
    expect(at(t, 0, 100, 10)).toBeCloseTo(expected(255, 0), 5);
    expect(at(t, 2, 100, 213)).toBeCloseTo(expected(255, 2), 5);
  });
});

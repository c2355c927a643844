import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../bench/seeded-random';
import { type YCbCr420Planes, halfResolutionRgb, parseY4m } from '../../../src/engine/imaging/ycbcr-planes';
import { largestDifference } from '../../support/image-difference';

/** A one-frame Y4M as heif-convert writes it: header, FRAME, then the Y, Cb and Cr planes. */
function y4m(width: number, height: number, planes: { y: number[]; cb: number[]; cr: number[] }, tags = ''): Uint8Array {
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1${tags}\nFRAME\n`, 'latin1'),
    Buffer.from(planes.y),
    Buffer.from(planes.cb),
    Buffer.from(planes.cr),
  ]);
}

describe('Y4M planes from the native HEIC decoder', () => {
  it('finds the three planes of an odd-sized frame (chroma rounded up)', () => {
    const y = Array.from({ length: 5 * 3 }, (_, i) => i);
    const cb = Array.from({ length: 3 * 2 }, (_, i) => 100 + i);
    const cr = Array.from({ length: 3 * 2 }, (_, i) => 200 + i);
    const planes = parseY4m(y4m(5, 3, { y, cb, cr }));
    expect([planes.width, planes.height]).toEqual([5, 3]);
    expect(Array.from(planes.y)).toEqual(y);
    expect(Array.from(planes.cb)).toEqual(cb);
    expect(Array.from(planes.cr)).toEqual(cr);
  });

  it('refuses what is not one 8-bit 4:2:0 frame, so the photo is decoded another way', () => {
    const planes = { y: [1, 2, 3, 4], cb: [5], cr: [6] };
    expect(() => parseY4m(Buffer.from('\x89PNG\r\n'))).toThrow('not a YUV4MPEG2 file');
    expect(() => parseY4m(y4m(2, 2, planes, ' C444'))).toThrow('chroma 444 is not 8-bit 4:2:0');
    expect(() => parseY4m(y4m(2, 2, planes, ' C420p10'))).toThrow('chroma 420p10');
    expect(() => parseY4m(y4m(2, 2, planes).subarray(0, -1))).toThrow('cut short');
    expect(() => parseY4m(Buffer.from('YUV4MPEG2 W0 H2 F30:1\nFRAME\n'))).toThrow('bad YUV4MPEG2 size');
    expect(parseY4m(y4m(2, 2, planes, ' C420jpeg')).width).toBe(2);
  });

  it('at half size, averages each 2×2 luma block and converts with its chroma sample as JFIF does', () => {
    // 4×2: two blocks. Left: luma 10, 20, 30, 40 with neutral chroma (grey 25). Right: luma 128 with Cr at its
    // top (a saturated red: R clips at 255).
    const y = [10, 20, 128, 128, 30, 40, 128, 128];
    const rgb = halfResolutionRgb(parseY4m(y4m(4, 2, { y, cb: [128, 128], cr: [128, 255] }))).half;
    expect([rgb.width, rgb.height]).toEqual([2, 1]);
    // R = Y + 1.402 (Cr − 128) = 306 → 255; G = Y − 0.714136 × 127 = 37.3; B = Y.
    expect(Array.from(rgb.data)).toEqual([25, 25, 25, 255, 37, 128]);
  });

  it('keeps the last chroma sample of an odd width, and a one-pixel-high picture is read, not overrun', () => {
    // 3×1: luma 50, 60 | 70; chroma ceil(3/2) × ceil(1/2) = 2 × 1. The half size is 1 × 1 (floor), from
    // the first column pair and the first row read twice.
    const rgb = halfResolutionRgb(parseY4m(y4m(3, 1, { y: [50, 60, 70], cb: [128, 0], cr: [128, 0] }))).half;
    expect([rgb.width, rgb.height]).toEqual([1, 1]);
    expect(Array.from(rgb.data)).toEqual([55, 55, 55]);
  });

  it('is within one level of the double-precision formula everywhere: SIMD blocks, the columns after them, strips, clipping', () => {
    for (const planes of randomPlanes()) {
      const rgb = halfResolutionRgb(planes).half;
      const expected = referenceHalfResolutionRgb(planes);
      const size = `${planes.width}×${planes.height}`;
      expect([rgb.width, rgb.height], size).toEqual([expected.width, expected.height]);
      expect(largestDifference(rgb.data, expected.data), size).toBeLessThanOrEqual(1);
    }
  });

  it('also shrinks the half-size image by a whole factor, each pixel the rounded mean of its block, across strips', () => {
    for (const planes of randomPlanes()) {
      for (const factor of [2, 3, 4, 8, 16]) {
        const { half, shrunk } = halfResolutionRgb(planes, factor);
        if (factor > Math.min(half.width, half.height)) {
          expect(shrunk).toBeUndefined(); // not even one whole block
          continue;
        }
        const expected = referenceBoxShrunk(half, factor);
        expect([shrunk!.width, shrunk!.height]).toEqual([expected.width, expected.height]);
        expect(Buffer.from(shrunk!.data).equals(Buffer.from(expected.data)), `${planes.width}×${planes.height} by ${factor}`).toBe(true);
      }
    }
    const planes = randomPlanes()[8]!;
    expect(halfResolutionRgb(planes, 1).shrunk).toBeUndefined();
    expect(halfResolutionRgb(planes, 17).shrunk).toBeUndefined(); // past the kernel's 16-bit sums
  });
});

/**
 * Planes of noise, with runs of the extremes so that every channel clips both ways, in sizes that reach
 * each path: one pixel, one row, one column, widths around the 16-pixel SIMD blocks, and pictures wide
 * enough for several strips (a megabyte of luma each).
 */
function randomPlanes(): YCbCr420Planes[] {
  const random = seededRandom(7);
  const bytes = (length: number) => Uint8Array.from({ length }, (_, i) => (i % 97 < 10 ? (i % 2) * 255 : Math.floor(random() * 256)));
  const sizes = [
    [1, 1],
    [1, 9],
    [9, 1],
    [2, 2],
    [31, 5],
    [32, 4],
    [33, 3],
    [67, 10],
    [3400, 400],
    [70_001, 21],
  ] as const;
  return sizes.map(([width, height]) => {
    const chroma = Math.ceil(width / 2) * Math.ceil(height / 2);
    return { width, height, y: bytes(width * height), cb: bytes(chroma), cr: bytes(chroma) };
  });
}

/** Whole factor × factor blocks of an RGB image, each the rounded mean of its pixels. */
function referenceBoxShrunk({ data, width, height }: { data: Uint8Array; width: number; height: number }, factor: number) {
  const [outWidth, outHeight] = [Math.floor(width / factor), Math.floor(height / factor)];
  const out = new Uint8Array(outWidth * outHeight * 3);
  for (let row = 0; row < outHeight; row++) {
    for (let column = 0; column < outWidth; column++) {
      for (let channel = 0; channel < 3; channel++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          for (let dx = 0; dx < factor; dx++) sum += data[((row * factor + dy) * width + column * factor + dx) * 3 + channel]!;
        }
        out[(row * outWidth + column) * 3 + channel] = Math.floor((sum + Math.floor((factor * factor) / 2)) / (factor * factor));
      }
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}

/** The conversion in double precision, one pixel at a time: what the SIMD kernel must agree with. */
function referenceHalfResolutionRgb({ y, cb, cr, width: lumaWidth, height: lumaHeight }: YCbCr420Planes) {
  const width = Math.max(1, lumaWidth >> 1);
  const height = Math.max(1, lumaHeight >> 1);
  const chromaWidth = Math.ceil(lumaWidth / 2);
  const data = new Uint8ClampedArray(width * height * 3);
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const at = (r: number, c: number) => y[Math.min(r, lumaHeight - 1) * lumaWidth + Math.min(c, lumaWidth - 1)]!;
      const luma =
        (at(2 * row, 2 * column) + at(2 * row, 2 * column + 1) + at(2 * row + 1, 2 * column) + at(2 * row + 1, 2 * column + 1)) / 4;
      const blue = cb[row * chromaWidth + column]! - 128;
      const red = cr[row * chromaWidth + column]! - 128;
      const out = 3 * (row * width + column);
      data[out] = luma + 1.402 * red;
      data[out + 1] = luma - 0.344136 * blue - 0.714136 * red;
      data[out + 2] = luma + 1.772 * blue;
    }
  }
  return { data, width, height };
}

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeErrorMessage, looksTruncated } from '../../../src/engine/imaging/decode';

describe('truncation is read from the bytes when libvips loses its message', () => {
  it('tells a cut JPEG and PNG from complete ones (trailing bytes after the end marker are fine)', async () => {
    const base = sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } });
    const jpeg = await base.clone().jpeg().toBuffer();
    const png = await base.clone().png().toBuffer();
    expect(looksTruncated(jpeg)).toBe(false);
    expect(looksTruncated(Buffer.concat([jpeg, Buffer.from('editor trailer')]))).toBe(false);
    expect(looksTruncated(jpeg.subarray(0, jpeg.length >> 1))).toBe(true);
    expect(looksTruncated(png)).toBe(false);
    expect(looksTruncated(png.subarray(0, png.length - 12))).toBe(true);
    expect(decodeErrorMessage(new Error('Unknown error'), jpeg.subarray(0, 100))).toBe('the file is truncated or damaged');
    expect(decodeErrorMessage(new Error('Unknown error'), jpeg)).toBe('could not decode: Unknown error');
  });
});

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegWithIccProfile, rgbWithProfile, toSrgb } from '../../../src/engine/imaging/tagged-raw';

/** A 5×3 image whose every byte differs from its neighbours, so a shifted or mis-strided read shows. */
function pattern(width: number, height: number): Uint8Array {
  return Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37 + 11) % 256);
}

async function displayP3(): Promise<Buffer> {
  const tagged = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#808080' } })
    .withIccProfile('p3')
    .png()
    .toBuffer();
  return (await sharp(tagged).metadata()).icc!;
}

describe('raw RGB pixels with an ICC profile (an uncompressed TIFF libvips reads)', () => {
  it('gives back the same pixels, size and profile', async () => {
    const icc = await displayP3();
    const image = { data: pattern(5, 3), width: 5, height: 3 };
    const file = rgbWithProfile(image, icc);
    const meta = await sharp(file).metadata();
    expect(meta).toMatchObject({ format: 'tiff', width: 5, height: 3, channels: 3 });
    expect(Buffer.compare(meta.icc!, icc)).toBe(0);
    const { data } = await sharp(file, { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
    expect(Buffer.compare(data, Buffer.from(image.data))).toBe(0);
  });

  it('keeps the pixels in place after a profile of odd length (TIFF offsets are word-aligned)', async () => {
    const odd = Buffer.concat([await displayP3(), Buffer.from([0])]);
    const image = { data: pattern(4, 4), width: 4, height: 4 };
    const file = rgbWithProfile(image, odd);
    expect(Buffer.compare((await sharp(file).metadata()).icc!, odd)).toBe(0);
    const { data } = await sharp(file, { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
    expect(Buffer.compare(data, Buffer.from(image.data))).toBe(0);
  });

  it('carries an alpha channel too (the WebAssembly decoder gives RGBA)', async () => {
    const icc = await displayP3();
    const image = { data: Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i % 4 === 3 ? 128 + i : i * 9)), width: 3, height: 2 };
    const file = rgbWithProfile(image, icc, 4);
    expect(await sharp(file).metadata()).toMatchObject({ width: 3, height: 2, channels: 4, hasAlpha: true });
    const { data } = await sharp(file, { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
    expect(Buffer.compare(data, Buffer.from(image.data))).toBe(0);
  });

  it('converts Display P3 pixels to sRGB through the profile', async () => {
    const icc = await displayP3();
    const orange = await toSrgb({ data: Uint8Array.from([200, 120, 60]), width: 1, height: 1, icc });
    // P3 → sRGB moves a warm colour's red up and its blue down (measured: [213, 115, 43]).
    expect(orange.data[0]).toBeGreaterThan(205);
    expect(orange.data[2]).toBeLessThan(56);
    // No profile: the pixels are already sRGB and come back as they are.
    const plain = { data: Uint8Array.from([200, 120, 60]), width: 1, height: 1 };
    expect(await toSrgb(plain)).toBe(plain);
  });
});

describe('a JPEG with an ICC profile added to its bytes', () => {
  it('carries the profile and the same pixels, in one marker or, past 64 KB, in several', async () => {
    const jpeg = await sharp(Buffer.from(pattern(32, 24)), { raw: { width: 32, height: 24, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const pixels = await sharp(jpeg).raw().toBuffer();
    const p3 = await displayP3();
    // A profile longer than one APP2 marker holds (65,519 bytes): split and numbered, put back together on read.
    const long = Buffer.concat([p3, Buffer.alloc(70_000 - p3.length, 7)]);
    for (const icc of [p3, long]) {
      const tagged = jpegWithIccProfile(jpeg, icc);
      const meta = await sharp(tagged).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 32, height: 24 });
      expect(Buffer.compare(meta.icc!, icc)).toBe(0);
      expect(Buffer.compare(await sharp(tagged, { ignoreIcc: true }).raw().toBuffer(), pixels)).toBe(0);
    }
    expect(() => jpegWithIccProfile(Buffer.from('not a jpeg'), p3)).toThrow('not a JPEG');
  });
});

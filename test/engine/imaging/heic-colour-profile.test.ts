import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { decodePhoto, detailFromDisplay } from '../../../src/engine/imaging/decode';
import { resetHeicDecoder } from '../../../src/engine/imaging/heic-decoder';
import type { DecodedPhoto } from '../../../src/engine/imaging/rgb-image';
import { writeDisplayCopy } from '../../../src/engine/imaging/thumbnail';
import { describeWithShared, sharedPhotos } from '../../support/shared';
import { NATIVE_HEIC, type RawRgb, displayP3Heic, resizedRaw } from '../../support/heic-tools';
import { meanAbsoluteDifference } from '../../support/image-difference';
import { tempDir } from '../../support/temp';

/**
 * An iPhone stores its photos in Display P3 with that ICC profile. Facet used to convert the whole decoded
 * original to sRGB on load (about 100 ms of a 12 MP photo's 170 ms); now the display copy keeps the P3
 * pixels and the profile, and only the analysis and detail images are converted, after their shrink.
 * The references below are the old way, computed here with sharp from heif-convert's own JPEG.
 */
describeWithShared('a Display P3 HEIC (as an iPhone writes them)', () => {
  const work = tempDir();
  let heic: string;
  let decoded: DecodedPhoto;
  /** The old display image: the converter's JPEG converted to sRGB on load, then resized. */
  let converted: RawRgb;
  /** The same JPEG with its profile ignored: P3 numbers read as sRGB, the error the tests must catch. */
  let ignored: RawRgb;

  beforeAll(async () => {
    if (!NATIVE_HEIC) return;
    // A colourful real photo in Display P3, 3000 px wide so the display copy is a shrink (the JPEG route).
    const made = await displayP3Heic(work, 3000);
    heic = made.heic;
    const jpeg = made.converterJpeg;
    const display = async (options: { ignoreIcc?: boolean }) => {
      const { data, info } = await sharp(jpeg, options)
        .resize(2560, 2560, { fit: 'inside', kernel: 'linear' })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    };
    converted = await display({});
    ignored = await display({ ignoreIcc: true });
    decoded = await decodePhoto(heic, { displayLongSide: 2560 });
  }, 60_000);

  it.skipIf(!NATIVE_HEIC)('its analysis image has the sRGB colours of the old on-load conversion', async () => {
    const { image } = decoded;
    expect([image.width, image.height]).toEqual([750, 500]);
    const reference = await resizedRaw(converted, image.width, image.height);
    expect(meanAbsoluteDifference(image.data, reference)).toBeLessThan(1); // measured 0.33
    // The photo tells P3 from sRGB: its P3 numbers read as sRGB are far off (measured 4.2).
    expect(meanAbsoluteDifference(await resizedRaw(ignored, image.width, image.height), reference)).toBeGreaterThan(3);
  });

  it.skipIf(!NATIVE_HEIC)('the detail image for small faces is converted to sRGB too', async () => {
    const detail = await detailFromDisplay(decoded, 1500);
    expect(detail!.image.width).toBe(1500);
    const reference = await resizedRaw(converted, detail!.image.width, detail!.image.height);
    expect(meanAbsoluteDifference(detail!.image.data, reference)).toBeLessThan(1); // measured 0.31
  });

  it.skipIf(!NATIVE_HEIC)('the display copy keeps P3 and carries the profile, so the viewer shows the same colours', async () => {
    expect(decoded.display).toMatchObject({ width: 2560, height: 1707 });
    const thumbnails = path.join(work, 'thumbnails');
    const written = path.join(thumbnails, await writeDisplayCopy(decoded.display!, thumbnails, 7));
    const meta = await sharp(written).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 2560, height: 1707 });
    expect(Buffer.compare(meta.icc!, decoded.display!.icc!)).toBe(0);
    expect((await sharp(heic).metadata()).icc?.equals(meta.icc!)).toBe(true); // the HEIC's own profile
    // Shown through its profile (as Chromium does), it is the old sRGB copy, within JPEG's loss.
    const shown = await sharp(written).toColourspace('srgb').raw().toBuffer();
    const oldCopy = await sharp(
      await sharp(converted.data, { raw: { ...converted, channels: 3 } })
        .jpeg({ quality: 88 })
        .toBuffer(),
    )
      .raw()
      .toBuffer();
    expect(meanAbsoluteDifference(shown, oldCopy)).toBeLessThan(2); // measured 1.0
    const unmanaged = await sharp(written, { ignoreIcc: true }).raw().toBuffer();
    expect(meanAbsoluteDifference(unmanaged, oldCopy)).toBeGreaterThan(3); // without the profile: 4.4
    fs.rmSync(thumbnails, { recursive: true, force: true });
  });

  it.skipIf(!NATIVE_HEIC)('the WebAssembly decoder (the fallback) gives the same sRGB colours', async () => {
    const saved = process.env.FACET_HEIC_DECODER;
    process.env.FACET_HEIC_DECODER = 'wasm';
    resetHeicDecoder();
    try {
      const wasm = await decodePhoto(heic, { displayLongSide: 2560 });
      const reference = await resizedRaw(converted, wasm.image.width, wasm.image.height);
      expect(meanAbsoluteDifference(wasm.image.data, reference)).toBeLessThan(1.5);
      expect(wasm.display?.icc).toBeUndefined(); // converted on load: its RGBA has an alpha channel
    } finally {
      if (saved === undefined) delete process.env.FACET_HEIC_DECODER;
      else process.env.FACET_HEIC_DECODER = saved;
      resetHeicDecoder();
    }
  });

  it.skipIf(!NATIVE_HEIC)('a HEIC without a profile keeps an sRGB display copy with no profile, as before', async () => {
    const plain = path.join(work, 'plain.heic');
    const png = path.join(work, 'plain.png');
    await sharp(sharedPhotos('objects', 'clowns_colorful.jpg')).png().toFile(png);
    expect(spawnSync('heif-enc', ['-q', '90', png, '-o', plain]).status).toBe(0);
    const untagged = await decodePhoto(plain, { displayLongSide: 2560 });
    expect(untagged.display?.icc).toBeUndefined();
    expect(untagged.display!.width).toBe(720);
  });
});

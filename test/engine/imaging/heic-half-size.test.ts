import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { withRotation } from '../../../bench/heic-rotation';
import { decodePhoto, detailFromDisplay, exactBoxFactor, HALF_SIZE_MIN_LONG_SIDE } from '../../../src/engine/imaging/decode';
import { resetHeicDecoder } from '../../../src/engine/imaging/heic-decoder';
import type { DecodedPhoto } from '../../../src/engine/imaging/rgb-image';
import { describeWithShared } from '../../support/shared';
import { NATIVE_HEIC, type RawRgb, displayP3Heic, resizedRaw } from '../../support/heic-tools';
import { meanAbsoluteDifference } from '../../support/image-difference';
import { tempDir } from '../../support/temp';

/**
 * A large 8-bit HEIC goes through heif-convert's planes (Y4M) and is used at half size: no JPEG is encoded
 * by the converter nor decoded here. The references are the JPEG route's: heif-convert's quality-95 JPEG,
 * converted to sRGB through its profile, then resized.
 */
describeWithShared('a large HEIC, decoded to its planes and used at half size', () => {
  const work = tempDir();
  // 3400 × 2264: the analysis image (850 × 566) is the half box-shrunk by 2 (exactBoxFactor).
  const [WIDTH, HEIGHT] = [3400, 2264];
  let heic: string;
  let decoded: DecodedPhoto;
  /** heif-convert's JPEG of the same file, in sRGB. */
  let converted: RawRgb;
  const reference = (width: number, height: number) => resizedRaw(converted, width, height);

  beforeAll(async () => {
    if (!NATIVE_HEIC) return;
    // Tagged Display P3 as an iPhone's photos are, large enough for the half-size route.
    const made = await displayP3Heic(work, WIDTH, HEIGHT);
    heic = made.heic;
    const { data, info } = await sharp(made.converterJpeg).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    converted = { data, width: info.width, height: info.height };
    decoded = await decodePhoto(heic, { displayLongSide: 2560 });
  }, 120_000);

  const savedPath = process.env.PATH;
  afterEach(() => {
    delete process.env.FACET_HEIC_DECODER;
    process.env.PATH = savedPath;
    resetHeicDecoder();
  });

  it.skipIf(!NATIVE_HEIC)('its display copy is half the photo, in its own colour space with its profile', async () => {
    expect(WIDTH).toBeGreaterThanOrEqual(HALF_SIZE_MIN_LONG_SIDE);
    expect([decoded.originalWidth, decoded.originalHeight]).toEqual([converted.width, converted.height]);
    expect(decoded.display).toMatchObject({ width: WIDTH / 2, height: Math.floor(converted.height / 2) });
    expect(decoded.display!.icc!.equals((await sharp(heic).metadata()).icc!)).toBe(true);
  });

  it.skipIf(!NATIVE_HEIC)('its analysis and detail images have the sRGB colours of the JPEG route', async () => {
    const { image } = decoded;
    expect([image.width, image.height]).toEqual([850, Math.round((850 * converted.height) / converted.width)]);
    // A box shrink of the decoded planes against a lanczos shrink of a quality-95 JPEG: measured 0.81 (0.68
    // with lanczos from the planes' half).
    expect(meanAbsoluteDifference(image.data, await reference(image.width, image.height))).toBeLessThan(1.5);
    const detail = await detailFromDisplay(decoded, 1700);
    expect(detail!.image.width).toBe(1700);
    expect(meanAbsoluteDifference(detail!.image.data, await reference(1700, detail!.image.height))).toBeLessThan(1.5); // 1.19
    // What the bound tells apart: the display copy's P3 numbers read as sRGB (the profile ignored), 4.6 off.
    const ignored = await sharp(decoded.display!.data, { raw: { width: 1700, height: decoded.display!.height, channels: 3 } })
      .resize(image.width, image.height, { fit: 'fill' })
      .raw()
      .toBuffer();
    expect(meanAbsoluteDifference(ignored, await reference(image.width, image.height))).toBeGreaterThan(3);
  });

  it.skipIf(!NATIVE_HEIC)('the WebAssembly decoder, which converts through the file\u2019s own colour description, agrees', async () => {
    process.env.FACET_HEIC_DECODER = 'wasm';
    resetHeicDecoder();
    const wasm = await decodePhoto(heic, { displayLongSide: 2560 });
    expect([wasm.image.width, wasm.image.height]).toEqual([decoded.image.width, decoded.image.height]);
    expect(meanAbsoluteDifference(wasm.image.data, decoded.image.data)).toBeLessThan(1.5);
  });

  it.skipIf(!NATIVE_HEIC)('a decode that wants more than half the photo goes through the JPEG, at the size asked for', async () => {
    const large = await decodePhoto(heic, { longSide: 2400 });
    expect(large.image.width).toBe(2400);
    expect(meanAbsoluteDifference(large.image.data, await reference(2400, large.image.height))).toBeLessThan(1);
  });

  it.skipIf(!NATIVE_HEIC)(
    'a photo stored turned (irot, as an iPhone stores one taken upright) comes out upright on every route',
    async () => {
      // The same coded picture, to be shown turned 90° anticlockwise: its upright pixels are the ones above, turned.
      const turned = path.join(work, 'turned.heic');
      fs.writeFileSync(turned, withRotation(fs.readFileSync(heic), 1));
      const upright = await sharp(decoded.image.data, { raw: { width: decoded.image.width, height: decoded.image.height, channels: 3 } })
        .rotate(-90)
        .raw()
        .toBuffer();
      const planes = await decodePhoto(turned, { displayLongSide: 2560 });
      expect([planes.originalWidth, planes.originalHeight]).toEqual([converted.height, converted.width]);
      expect([planes.display!.width, planes.display!.height]).toEqual([decoded.display!.height, decoded.display!.width]);
      expect(meanAbsoluteDifference(planes.image.data, upright)).toBeLessThan(0.5);
      const jpegRoute = await decodePhoto(turned, { longSide: 2400 });
      expect([jpegRoute.image.width, jpegRoute.image.height]).toEqual([Math.round((2400 * converted.height) / converted.width), 2400]);
      process.env.FACET_HEIC_DECODER = 'wasm';
      resetHeicDecoder();
      const wasm = await decodePhoto(turned, { displayLongSide: 2560 });
      expect(meanAbsoluteDifference(wasm.image.data, planes.image.data)).toBeLessThan(1.5);
    },
  );

  it.skipIf(!NATIVE_HEIC)(
    'planes cut short are decoded by WebAssembly instead, and the next photo\u2019s planes are read whole',
    async () => {
      // heif-convert behind a wrapper that cuts its Y4M short once (a full disk, a killed converter).
      const bin = path.join(work, 'bin');
      fs.mkdirSync(bin, { recursive: true });
      const once = path.join(work, 'cut-once');
      fs.writeFileSync(once, '');
      const real = spawnSync('sh', ['-c', 'command -v heif-convert'], { encoding: 'utf8' }).stdout.trim();
      fs.writeFileSync(
        path.join(bin, 'heif-convert'),
        `#!/bin/sh\n${real} "$@" || exit $?\nfor last; do :; done\nif [ -e "${once}" ]; then rm "${once}"; truncate -s 1000000 "$last"; fi\n`,
        { mode: 0o755 },
      );
      process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
      resetHeicDecoder();
      const fallback = await decodePhoto(heic, { displayLongSide: 2560 });
      expect(fs.existsSync(once)).toBe(false); // the wrapper did cut the planes
      // WebAssembly decodes the whole photo, so its display copy is the usual 2,560 px, not the half.
      expect(fallback.display!.width).toBe(2560);
      expect(meanAbsoluteDifference(fallback.image.data, decoded.image.data)).toBeLessThan(1.5);
      // The same converter, now whole: the planes again, into the buffer the cut read gave back.
      const again = await decodePhoto(heic, { displayLongSide: 2560 });
      expect(again.display!.width).toBe(WIDTH / 2);
      expect(Buffer.from(again.image.data).equals(Buffer.from(decoded.image.data))).toBe(true);
    },
    120_000,
  );
});

it('box-shrinks the half-size image to the analysis size only by a whole factor that gives the lanczos size exactly', () => {
  expect(exactBoxFactor(2016, 1512, 504)).toBe(4); // a 12 MP iPhone photo
  expect(exactBoxFactor(1512, 2016, 504)).toBe(4); // the same, upright
  expect(exactBoxFactor(4032, 3024, 1008)).toBe(4); // 48 MP
  expect(exactBoxFactor(1700, 1132, 850)).toBe(2);
  expect(exactBoxFactor(1700, 1133, 850)).toBeUndefined(); // 566 rows whole, where lanczos gives 567
  expect(exactBoxFactor(2015, 1511, 504)).toBeUndefined(); // 503 columns whole
  expect(exactBoxFactor(1600, 1200, 1600)).toBeUndefined(); // no shrink at all
  expect(exactBoxFactor(1700, 1132, 1000)).toBeUndefined(); // not a whole factor
});

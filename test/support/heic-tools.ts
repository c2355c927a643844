import { spawnSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import { sharedPhotos } from './shared';

/** libheif's command-line tools (Debian libheif-examples), which the native HEIC route and these tests use. */
const HAS_HEIC_TOOLS =
  spawnSync('heif-enc', ['--version']).error === undefined && spawnSync('heif-convert', ['--help']).error === undefined;

/** Facet's native HEIC route runs on Linux only (heif-convert); elsewhere the tests that need it skip. */
export const NATIVE_HEIC = HAS_HEIC_TOOLS && process.platform === 'linux';

export interface RawRgb {
  data: Buffer;
  width: number;
  height: number;
}

/** Packed RGB pixels resized to exactly width × height. */
export function resizedRaw(from: RawRgb, width: number, height: number): Promise<Buffer> {
  return sharp(from.data, { raw: { width: from.width, height: from.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
}

/**
 * A colourful real photo `width` px wide (and `height` high, cropped to it, when given), converted to Display
 * P3 and tagged with its profile (as an iPhone stores its photos), encoded by heif-enc; and heif-convert's
 * quality-95 JPEG of it (the JPEG route's input).
 */
export async function displayP3Heic(work: string, width: number, height?: number): Promise<{ heic: string; converterJpeg: string }> {
  const name = `clowns-p3-${width}${height ? `x${height}` : ''}`;
  const png = path.join(work, `${name}.png`);
  const heic = path.join(work, `${name}.heic`);
  const converterJpeg = path.join(work, `${name}-converter.jpg`);
  await sharp(sharedPhotos('objects', 'clowns_colorful.jpg'))
    .resize(width, height) // cropped to `height` when given
    .withIccProfile('p3')
    .png({ compressionLevel: 1 })
    .toFile(png);
  const encoded = spawnSync('heif-enc', ['-q', '90', png, '-o', heic], { encoding: 'utf8' });
  expect(encoded.status, encoded.stderr).toBe(0);
  expect(spawnSync('heif-convert', ['--quiet', '-q', '95', heic, converterJpeg]).status).toBe(0);
  return { heic, converterJpeg };
}

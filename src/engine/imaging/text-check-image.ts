import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { RgbImage } from './rgb-image';
import { shardOf } from './thumbnail';

/**
 * The text job's check image: the index run's analysis decode, kept as a small JPEG until the text job
 * has checked the photo. Without it the check decodes the original again (JPEG shrink-on-load to 1/8
 * still entropy-decodes all of a 12 MP file: ~17 ms), the largest part of what every photo pays for text
 * in photos; decoding this file costs ~2 ms. Transient: the text job deletes each one once it has checked
 * the photo, and the whole folder when a pass ends or text reading is turned off. A missing file (a
 * library from before, a full disk, text reading off at index time) only means the check decodes the
 * original, as it always did.
 */
export const TEXT_CHECK_DIR = '.text-check';

/**
 * A 12 MP photo's analysis decode (1/8, 500 px) is kept as it is; larger analysis images (photos up
 * to 1,600 px are analysed whole) are shrunk: the check's detector sees 448 px (text-gate.ts).
 */
export const TEXT_CHECK_MAX_LONG_SIDE = 512;

/**
 * Quality 90: the check's recall and false alarms on `facet bench ocr` are those of the original's decode
 * (README, Text in photos). Huffman tables not optimised: a quicker encode for a file that lives minutes.
 */
const TEXT_CHECK_QUALITY = 90;

export function textCheckImagePath(thumbnailsDir: string, photoId: number): string {
  return path.join(thumbnailsDir, TEXT_CHECK_DIR, shardOf(photoId), `${photoId}.jpg`);
}

/**
 * Writes the check image beside the thumbnails, atomically (a temporary in the same folder tree, then a
 * rename, so the text job never reads half a file). Best effort: false when it could not be written (a
 * full disk, a read-only folder; an older one is removed then); indexing the photo does not depend on it.
 */
export async function writeTextCheckImage(image: RgbImage, thumbnailsDir: string, photoId: number): Promise<boolean> {
  const target = textCheckImagePath(thumbnailsDir, photoId);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
    if (Math.max(image.width, image.height) > TEXT_CHECK_MAX_LONG_SIDE) {
      pipeline.resize(TEXT_CHECK_MAX_LONG_SIDE, TEXT_CHECK_MAX_LONG_SIDE, { fit: 'inside' });
    }
    await pipeline.jpeg({ quality: TEXT_CHECK_QUALITY, optimiseCoding: false }).toFile(temporary);
    await fs.rename(temporary, target);
    return true;
  } catch {
    // An older check image of this photo (its content changed since) must not be read in its place.
    await Promise.all([temporary, target].map((file) => fs.rm(file, { force: true }).catch(() => {})));
    return false;
  }
}

/** The photo's check image, or null when there is none (the check then decodes the original). */
export async function readTextCheckImage(thumbnailsDir: string, photoId: number): Promise<Buffer | null> {
  try {
    return await fs.readFile(textCheckImagePath(thumbnailsDir, photoId));
  } catch {
    return null;
  }
}

/** Once the photo is checked. Best effort: a file left behind goes with the folder (removeTextCheckImages). */
export async function removeTextCheckImage(thumbnailsDir: string, photoId: number): Promise<void> {
  await fs.rm(textCheckImagePath(thumbnailsDir, photoId), { force: true }).catch(() => {});
}

/**
 * Every check image, and the temporaries of a killed run: when a text pass has checked every photo that
 * waited (what is left belongs to photos deleted, failed or re-read meanwhile), and when text reading is
 * turned off (a later index run with it off writes none, so old ones could outlive a change of the photo).
 * Best effort: what cannot be removed is only disk space, never read for a photo checked since.
 */
export async function removeTextCheckImages(thumbnailsDir: string): Promise<void> {
  await fs.rm(path.join(thumbnailsDir, TEXT_CHECK_DIR), { recursive: true, force: true }).catch(() => {});
}

import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { laplacianVariance } from './laplacian';
import type { DisplayImage, RgbImage } from './rgb-image';
import { jpegWithIccProfile } from './tagged-raw';

export const THUMBNAIL_LONG_SIDE = 320;

/** Thumbnails are sharded by id so no folder holds more than a thousand files. */
export function thumbnailRelativePath(photoId: number): string {
  return path.join(shardOf(photoId), `${photoId}.webp`);
}

/**
 * The viewer's copy of a photo whose format Chromium cannot show (HEIC, TIFF): a JPEG beside the
 * thumbnail, made from the indexing decode so the app never decodes originals in its main process.
 */
export function displayCopyRelativePath(photoId: number): string {
  return path.join(shardOf(photoId), `${photoId}.display.jpg`);
}

export const DISPLAY_COPY_LONG_SIDE = 2560;

/** Formats (as sniffed) that need a display copy: everything else the viewer shows from the original. */
export function needsDisplayCopy(format: string): boolean {
  return format === 'TIFF' || format === 'HEIC' || format === 'HEIF';
}

/** The folder of a photo's (or face's) files under thumbs/: a thousand ids each, so no folder grows huge. */
export function shardOf(id: number): string {
  return String(Math.floor(id / 1000)).padStart(4, '0');
}

/** Thumbnails being written live here until renamed into place (same filesystem, so rename is atomic). */
export const PARTIAL_THUMBNAILS_DIR = '.partial';

/** The grid thumbnail's encoding, shared by the indexer and the benchmark's bound. */
export function thumbnailPipeline(image: RgbImage): sharp.Sharp {
  return (
    sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(THUMBNAIL_LONG_SIDE, THUMBNAIL_LONG_SIDE, { fit: 'inside', withoutEnlargement: true })
      // effort 1: half the CPU of the default effort 4 for a few percent larger files (measured).
      .webp({ quality: 78, effort: 1 })
  );
}

/**
 * Writes the grid thumbnail from the analysis decode (no second decode of the original). Like the
 * display copy, it is written to a temporary name and renamed, so a reader never sees a partial file;
 * a temporary left by a killed process is removed by the next run (removePartialThumbnails).
 */
export function writeThumbnail(image: RgbImage, thumbnailsDir: string, photoId: number): Promise<string> {
  const pipeline = thumbnailPipeline(image);
  return writeAtomically((file) => pipeline.toFile(file), thumbnailsDir, thumbnailRelativePath(photoId), `${photoId}.${process.pid}.tmp`);
}

export function writeDisplayCopy(image: DisplayImage, thumbnailsDir: string, photoId: number): Promise<string> {
  // Without optimised Huffman tables: 11 ms instead of 24 ms at 2560 × 1920, for a file 4% larger (measured).
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg({
    quality: 88,
    optimiseCoding: false,
  });
  // A copy in the photo's own colour space (Display P3 from an iPhone) carries its profile, and Chromium
  // converts it for the screen. The profile is added to the encoded bytes: 11 ms less than giving sharp
  // the pixels with their profile (rgbWithProfile) to keep (measured at 2560 × 1920).
  const icc = image.icc;
  const write = icc
    ? async (file: string) => fs.writeFile(file, jpegWithIccProfile(await pipeline.toBuffer(), icc))
    : (file: string) => pipeline.toFile(file);
  return writeAtomically(write, thumbnailsDir, displayCopyRelativePath(photoId), `${photoId}.display.${process.pid}.tmp`);
}

async function writeAtomically(
  write: (file: string) => Promise<unknown>,
  thumbnailsDir: string,
  relative: string,
  temporaryName: string,
): Promise<string> {
  const target = path.join(thumbnailsDir, relative);
  const temporary = path.join(thumbnailsDir, PARTIAL_THUMBNAILS_DIR, temporaryName);
  await Promise.all([fs.mkdir(path.dirname(target), { recursive: true }), fs.mkdir(path.dirname(temporary), { recursive: true })]);
  try {
    await write(temporary);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw asWriteFailure(error, temporary);
  }
  return relative;
}

/**
 * The pixels are already decoded, so a failure here is the library's disk, not the photo. libvips
 * reports it as a bare message ("write error\nsystem error: No space left on device") with no code,
 * which made a full disk look like a broken photo: recorded as failed, and never retried once space
 * was freed. Give it the errno code and the path so the run stops with "disk full" instead.
 */
function asWriteFailure(error: unknown, file: string): unknown {
  const message = (error as Error)?.message ?? '';
  if ((error as { code?: string })?.code) return error;
  const code = /no space left/i.test(message)
    ? 'ENOSPC'
    : /read-only file system/i.test(message)
      ? 'EROFS'
      : /quota/i.test(message)
        ? 'EDQUOT'
        : 'EIO';
  return Object.assign(new Error(`cannot write the thumbnail ${file}: ${message.replace(/\s+/g, ' ')}`), { code, path: file });
}

/**
 * Removes temporaries of a killed run. Called only while holding the library's writer lock, when no
 * other process can be writing thumbnails, so every file there is stale. One small folder is read,
 * not the whole sharded tree.
 */
export async function removePartialThumbnails(thumbnailsDir: string): Promise<number> {
  const dir = path.join(thumbnailsDir, PARTIAL_THUMBNAILS_DIR);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.map((name) => fs.rm(path.join(dir, name), { force: true })));
  return names.length;
}

/** Sharpness (variance of a Laplacian on a ~256 px sample): picks the keeper among duplicates. */
export function estimateSharpness(image: RgbImage): number {
  const step = Math.max(1, Math.floor(Math.max(image.width, image.height) / 256));
  return laplacianVariance(image.data, image.width, image.height, step);
}

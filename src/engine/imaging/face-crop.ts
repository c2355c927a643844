import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Box } from '../../common/api/library';
import type { RgbImage } from './rgb-image';
import { PARTIAL_THUMBNAILS_DIR, shardOf } from './thumbnail';

/** The side of every stored face crop: enough for the largest face the app draws (review, 220 px). */
export const FACE_CROP_SIZE = 256;
/** How much of the surroundings a crop shows around the detected box (its longer side × this). */
export const FACE_CROP_CONTEXT = 1.6;

/**
 * Crops are named by face id, sharded like thumbnails. A face keeps its id through clustering, merges,
 * names and moves of its photo, so none of those touch the file; re-analysing a changed photo gives its
 * faces new rows, and the indexer replaces the files with them (see analyzers/face-stage.ts).
 */
export function faceCropRelativePath(faceId: number): string {
  return path.join('faces', shardOf(faceId), `${faceId}.jpg`);
}

/**
 * The square a crop shows, in the image's pixels: the box's longer side grown by FACE_CROP_CONTEXT,
 * centred on the face, never larger than the image, slid inward at an edge rather than padded.
 * Null for a box with no area inside the image.
 */
export function faceCropRegion(box: Box, width: number, height: number): { left: number; top: number; side: number } | null {
  const [x, y, w, h] = box;
  const side = Math.floor(Math.min(Math.max(w, h) * FACE_CROP_CONTEXT, width, height));
  if (!(side >= 1) || x >= width || y >= height || x + w <= 0 || y + h <= 0) return null;
  const clamp = (start: number, size: number) => Math.max(0, Math.min(size - side, Math.round(start)));
  return { left: clamp(x + w / 2 - side / 2, width), top: clamp(y + h / 2 - side / 2, height), side };
}

/**
 * The face's crop as JPEG bytes, cut from an already decoded image (box in that image's pixels) and
 * scaled to FACE_CROP_SIZE. A small face is scaled up: the app draws every face at one size, and the
 * browser would scale it up anyway, only less well. Null when the box lies outside the image.
 * JPEG, not WebP like the thumbnails: measured on a 256 px crop, the WebP encode (effort 1) took 2.5 ms
 * of the 4.5 ms per face, libjpeg-turbo 0.5 ms, for files of ~15 KB instead of ~12 KB.
 */
export async function encodeFaceCrop(image: RgbImage, box: Box): Promise<Buffer | null> {
  const region = faceCropRegion(box, image.width, image.height);
  if (!region) return null;
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left: region.left, top: region.top, width: region.side, height: region.side })
    .resize(FACE_CROP_SIZE, FACE_CROP_SIZE)
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * Writes a crop under its face id: to a temporary name, then renamed, so the app never reads half a
 * file. Synchronous on purpose: it runs inside the photo's write transaction, the only place that
 * knows the new face ids (a few kilobytes; a failure rolls the photo's rows back with it), or right
 * after its commit for an id a deleted face had (see analyzers/face-stage.ts).
 */
export function writeFaceCrop(thumbnailsDir: string, faceId: number, bytes: Uint8Array): void {
  const target = path.join(thumbnailsDir, faceCropRelativePath(faceId));
  const temporary = path.join(thumbnailsDir, PARTIAL_THUMBNAILS_DIR, `face-${faceId}.${process.pid}.tmp`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.mkdirSync(path.dirname(temporary), { recursive: true });
  try {
    fs.writeFileSync(temporary, bytes);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Removes the crops of faces that are gone: after the commit that deleted their rows (a failed commit
 * keeps the rows, which need their files), and never for an id a new face has taken.
 */
export function removeFaceCrops(thumbnailsDir: string, faceIds: readonly number[]): void {
  for (const id of faceIds) fs.rmSync(path.join(thumbnailsDir, faceCropRelativePath(id)), { force: true });
}

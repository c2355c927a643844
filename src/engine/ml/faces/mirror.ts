import type { RgbImage } from '../../imaging/rgb-image';
import { ALIGNED_SIZE } from './align';

/**
 * The aligned crop flipped left-right. The ArcFace template is symmetric about the vertical centre
 * line, so the mirror is itself an aligned face: embedding both and averaging (test-time augmentation)
 * cancels part of the noise a profile, a shadow or blur puts into one side.
 */
export function mirrorAligned(crop: Uint8Array, size = ALIGNED_SIZE): Uint8Array {
  return mirrorImage({ data: crop, width: size, height: size }).data;
}

/** A packed RGB image flipped left-right. */
export function mirrorImage({ data, width, height }: RgbImage): RgbImage {
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const from = row + x * 3;
      const to = row + (width - 1 - x) * 3;
      out[to] = data[from]!;
      out[to + 1] = data[from + 1]!;
      out[to + 2] = data[from + 2]!;
    }
  }
  return { data: out, width, height };
}

import { ALIGNED_SIZE } from './align';

/**
 * The aligned crop flipped left-right. The ArcFace template is symmetric about the vertical centre
 * line, so the mirror is itself an aligned face: embedding both and averaging (test-time augmentation)
 * cancels part of the noise a profile, a shadow or blur puts into one side.
 */
export function mirrorAligned(crop: Uint8Array, size = ALIGNED_SIZE): Uint8Array {
  const out = new Uint8Array(crop.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 3;
      const to = (y * size + (size - 1 - x)) * 3;
      out[to] = crop[from]!;
      out[to + 1] = crop[from + 1]!;
      out[to + 2] = crop[from + 2]!;
    }
  }
  return out;
}

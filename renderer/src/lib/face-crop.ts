import type { Box } from '../../../src/common/api';

/** How much of the surroundings a face crop shows around the detected box (1 = the box only). */
const CONTEXT = 1.5;

/**
 * CSS placement (percentages of a square frame) that shows a face out of the whole photo: the image is
 * scaled so the face's square fills the frame and shifted so its centre is in the middle.
 */
export function faceCropStyle(
  box: Box,
  photo: { width: number; height: number },
): { width: string; height: string; left: string; top: string } {
  const [x, y, w, h] = box;
  // The square never exceeds the photo, and slides inward at an edge instead of showing empty space.
  const side = Math.min(Math.max(w, h) * CONTEXT, photo.width, photo.height);
  const clamp = (start: number, size: number) => Math.max(0, Math.min(size - side, start));
  const left = clamp(x + w / 2 - side / 2, photo.width);
  const top = clamp(y + h / 2 - side / 2, photo.height);
  const pct = (v: number) => `${(v / side) * 100}%`;
  return { width: pct(photo.width), height: pct(photo.height), left: pct(-left), top: pct(-top) };
}

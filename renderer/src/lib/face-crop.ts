import type { Box } from '../../../src/common/api';

/** How much of the surroundings a face crop shows around the detected box (1 = the box only). */
const CONTEXT = 1.5;

/**
 * CSS placement (percentages of a square frame) that shows a face out of the whole photo: the image is
 * scaled so the face's square fills the frame and shifted so its centre is in the middle.
 */
export function faceCropStyle(box: Box, photo: { width: number; height: number }): { width: string; height: string; left: string; top: string } {
  const [x, y, w, h] = box;
  const side = Math.max(w, h) * CONTEXT;
  const cx = x + w / 2;
  const cy = y + h / 2;
  const pct = (v: number) => `${(v / side) * 100}%`;
  return { width: pct(photo.width), height: pct(photo.height), left: pct(side / 2 - cx), top: pct(side / 2 - cy) };
}

import type { RgbImage } from '../../imaging/rgb-image';
import type { RotatedRect } from './geometry';

/** PP-OCR recognition models read lines 48 px high. */
export const REC_HEIGHT = 48;
/** Longest line the recogniser reads in one piece (48 × 40: about 60 Latin characters). */
export const REC_MAX_WIDTH = 1920;

/** A text line cut out of the photo, upright, as the recogniser's normalised BGR planes. */
export interface LineCrop {
  width: number;
  /** [3, REC_HEIGHT, width] planar BGR, (pixel / 255 - 0.5) / 0.5. */
  planes: Float32Array;
}

/**
 * Samples a rotated text rectangle of `image` straight into the recogniser's input, 48 px high and as
 * wide as the line's aspect ratio asks (PaddleOCR's get_rotate_crop_image + resize_norm_img in one
 * step). The rectangle's longer side is its reading direction (see normalizeRect), so a vertical
 * line is read top to bottom. Shrinking more than 2× averages a 2×2 grid per output pixel, so small
 * print in a large photo does not alias.
 */
export function cropLine(image: RgbImage, rect: RotatedRect): LineCrop {
  const { width: lineWidth, height: lineHeight, angle } = rect;
  const width = Math.max(1, Math.min(REC_MAX_WIDTH, Math.ceil((REC_HEIGHT * lineWidth) / Math.max(lineHeight, 1))));
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  const stepU = lineWidth / width;
  const stepV = lineHeight / REC_HEIGHT;
  const samples = stepU > 2 || stepV > 2 ? 2 : 1;
  const plane = REC_HEIGHT * width;
  const planes = new Float32Array(3 * plane);
  const rgb: [number, number, number] = [0, 0, 0];
  for (let row = 0; row < REC_HEIGHT; row++) {
    for (let col = 0; col < width; col++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const u = (col + (sx + 0.5) / samples) * stepU - lineWidth / 2;
          const v = (row + (sy + 0.5) / samples) * stepV - lineHeight / 2;
          bilinear(image, rect.cx + u * ux - v * uy - 0.5, rect.cy + u * uy + v * ux - 0.5, rgb);
          r += rgb[0];
          g += rgb[1];
          b += rgb[2];
        }
      }
      const n = samples * samples * 127.5;
      const at = row * width + col;
      planes[at] = b / n - 1;
      planes[plane + at] = g / n - 1;
      planes[2 * plane + at] = r / n - 1;
    }
  }
  return { width, planes };
}

/** Bilinear sample at (x, y) in pixel-centre coordinates, edges clamped. */
function bilinear(image: RgbImage, x: number, y: number, out: [number, number, number]): void {
  const { data, width, height } = image;
  const cx = Math.min(Math.max(x, 0), width - 1);
  const cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  for (let c = 0; c < 3; c++) {
    const a = data[(y0 * width + x0) * 3 + c]!;
    const b = data[(y0 * width + x1) * 3 + c]!;
    const d = data[(y1 * width + x0) * 3 + c]!;
    const e = data[(y1 * width + x1) * 3 + c]!;
    out[c] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
  }
}

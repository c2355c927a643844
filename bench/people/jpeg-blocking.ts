import type { RgbImage } from '../../src/engine/imaging/rgb-image';

/**
 * How strongly JPEG's 8×8 block grid shows inside a region: the mean luma step across the grid's lines
 * divided by the mean step between the other neighbouring pixels, minus 1 (about 0 for a photo with no
 * visible grid, 0.3-1.5 for a small face saved at JPEG quality 25-40). Natural detail has no preference
 * for every 8th column, while heavy compression flattens each block and leaves its contrast on the block
 * edges: exactly what a Laplacian sharpness measure mistakes for detail.
 *
 * The grid's phase is found, not assumed (the strongest of the `period` column and row offsets), so
 * an EXIF rotation or a crop that moved the grid off the origin is still seen. `period` is the grid in
 * this image's pixels: 8 for a JPEG decoded at full size, 4 for one shrunk on load by 2 (the DCT
 * scaling keeps the grid). Below 4 the grid is averaged away: 0. Hand-written: one pass over a face.
 */
export function jpegBlocking(image: RgbImage, box: readonly [number, number, number, number], period = 8): number {
  if (period < 4 || !Number.isInteger(period)) return 0;
  const { data, width, height } = image;
  const x0 = Math.max(0, Math.floor(box[0]));
  const y0 = Math.max(0, Math.floor(box[1]));
  const x1 = Math.min(width, Math.ceil(box[0] + box[2]));
  const y1 = Math.min(height, Math.ceil(box[1] + box[3]));
  if (x1 - x0 < 2 * period || y1 - y0 < 2 * period) return 0;
  const w = x1 - x0;
  const luma = new Float32Array(w * (y1 - y0));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 3;
      luma[(y - y0) * w + (x - x0)] = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
    }
  }
  // Mean step per phase of the line it crosses, across columns and across rows.
  const across = (vertical: boolean): number => {
    const sums = new Float64Array(period);
    const counts = new Float64Array(period);
    const rows = y1 - y0;
    for (let y = 0; y < rows - (vertical ? 1 : 0); y++) {
      for (let x = 0; x < w - (vertical ? 0 : 1); x++) {
        const here = y * w + x;
        const step = Math.abs(luma[vertical ? here + w : here + 1]! - luma[here]!);
        const phase = ((vertical ? y + y0 : x + x0) + 1) % period;
        sums[phase] = sums[phase]! + step;
        counts[phase] = counts[phase]! + 1;
      }
    }
    const means = Array.from(sums, (s, p) => s / Math.max(1, counts[p]!));
    const grid = means.indexOf(Math.max(...means));
    const rest = means.filter((_, p) => p !== grid);
    const restMean = rest.reduce((s, m) => s + m, 0) / rest.length;
    return restMean > 0 ? means[grid]! / restMean - 1 : 0;
  };
  return Math.max(0, (across(false) + across(true)) / 2);
}

/**
 * Variance of the 4-neighbour Laplacian of a packed-RGB image's luma, sampled every `step` pixels:
 * high for sharp detail, low for blur (or an upsampled tiny face). Shared by face quality (on the 112 px
 * aligned crop) and photo sharpness (on a ~256 px sample of the analysis image). Hand-written: a 3×3
 * stencil needs no image-library round trip.
 */
export function laplacianVariance(rgb: Uint8Array, width: number, height: number, step = 1): number {
  const w = Math.floor(width / step);
  const h = Math.floor(height / step);
  if (w < 3 || h < 3) return 0;
  const gray = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * step * width + x * step) * 3;
      gray[y * w + x] = 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
    }
  }
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const c = y * w + x;
      const lap = gray[c - 1]! + gray[c + 1]! + gray[c - w]! + gray[c + w]! - 4 * gray[c]!;
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

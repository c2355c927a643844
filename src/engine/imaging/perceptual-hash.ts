import type { RgbImage } from './rgb-image';

/**
 * Perceptual hashes for near-duplicate detection, computed from the decode the indexer already has.
 * Written here rather than taken from npm: `sharp-phash` and `blockhash-core` want to decode a file (or
 * RGBA ImageData) themselves, and neither tolerates crops, which is why this stores three hashes.
 *
 * Each hash is the classic DCT pHash (32×32 grey, 2-D DCT-II, the 8×8 lowest frequencies thresholded
 * at their median: 64 bits, robust to re-encoding, resizing and small colour changes). A crop changes
 * the framing, so besides the whole frame the string carries the hashes of the central 90% and 80%:
 * a copy cropped to roughly that much of the original matches the original's inner hash.
 * Format: three 16-hex-digit hashes joined by ':' (whole, centre 90%, centre 80%).
 */
export const HASH_REGIONS = [1, 0.9, 0.8] as const;

export function perceptualHash(image: RgbImage): string {
  return HASH_REGIONS.map((fraction) => dctHash(greyGrid(image, fraction, 32))).join(':');
}

/** Each 64-bit hash as two 32-bit halves, so comparing all pairs needs no BigInt arithmetic. */
export type ParsedHash = Uint32Array;

export function parsePerceptualHash(hash: string): ParsedHash {
  const parts = hash.split(':');
  const words = new Uint32Array(parts.length * 2);
  parts.forEach((part, i) => {
    words[2 * i] = Number.parseInt(part.slice(0, 8), 16);
    words[2 * i + 1] = Number.parseInt(part.slice(8, 16), 16);
  });
  return words;
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function regionDistance(a: ParsedHash, i: number, b: ParsedHash, j: number): number {
  return popcount32(a[2 * i]! ^ b[2 * j]!) + popcount32(a[2 * i + 1]! ^ b[2 * j + 1]!);
}

/**
 * The smallest distance between two photos' hashes when either may be a crop of the other: whole
 * vs whole, and each one's whole frame against the other's inner regions.
 */
export function perceptualDistance(a: ParsedHash, b: ParsedHash): number {
  let best = regionDistance(a, 0, b, 0);
  for (let i = 1; i < Math.min(a.length, b.length) / 2; i++) best = Math.min(best, regionDistance(a, 0, b, i), regionDistance(a, i, b, 0));
  return best;
}

/**
 * The same distance, and whether it came from whole frame against whole frame (the same picture,
 * resized or re-encoded) or from one's whole frame against the other's inner region (a crop).
 */
export function perceptualMatch(a: ParsedHash, b: ParsedHash): { distance: number; cropped: boolean } {
  const whole = regionDistance(a, 0, b, 0);
  let inner = Number.POSITIVE_INFINITY;
  for (let i = 1; i < Math.min(a.length, b.length) / 2; i++)
    inner = Math.min(inner, regionDistance(a, 0, b, i), regionDistance(a, i, b, 0));
  return whole <= inner ? { distance: whole, cropped: false } : { distance: inner, cropped: true };
}

/** Luma averaged over a size×size grid of the central `fraction` of the image (area averaging). */
function greyGrid(image: RgbImage, fraction: number, size: number): Float64Array {
  const { width, height, data } = image;
  const cropW = width * fraction;
  const cropH = height * fraction;
  const left = (width - cropW) / 2;
  const top = (height - cropH) / 2;
  const x0 = Math.floor(left);
  const x1 = Math.ceil(left + cropW);
  const y0 = Math.floor(top);
  const y1 = Math.ceil(top + cropH);
  // Grid cell of every column, computed once instead of once per pixel (this runs on every indexed photo).
  const cellOfColumn = new Int32Array(x1 - x0);
  for (let x = x0; x < x1; x++) cellOfColumn[x - x0] = Math.min(size - 1, Math.floor(((x + 0.5 - left) / cropW) * size));
  const sums = new Float64Array(size * size);
  const counts = new Float64Array(size * size);
  for (let y = y0; y < y1; y++) {
    const gy = Math.min(size - 1, Math.floor(((y + 0.5 - top) / cropH) * size));
    if (gy < 0) continue;
    const rowCell = gy * size;
    let i = (y * width + x0) * 3;
    for (let x = 0; x < cellOfColumn.length; x++, i += 3) {
      const gx = cellOfColumn[x]!;
      if (gx < 0) continue;
      sums[rowCell + gx]! += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      counts[rowCell + gx]!++;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] = counts[i]! > 0 ? sums[i]! / counts[i]! : 0;
  return sums;
}

const DCT_CACHE = new Map<number, Float64Array>();

/** cos((2x + 1) u π / 2N) for u < 8, the only rows the hash needs. */
function dctBasis(n: number): Float64Array {
  let basis = DCT_CACHE.get(n);
  if (!basis) {
    basis = new Float64Array(8 * n);
    for (let u = 0; u < 8; u++) for (let x = 0; x < n; x++) basis[u * n + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * n));
    DCT_CACHE.set(n, basis);
  }
  return basis;
}

function dctHash(grid: Float64Array): string {
  const n = Math.sqrt(grid.length);
  const basis = dctBasis(n);
  // Separable 2-D DCT, rows then columns, keeping the 8×8 lowest frequencies.
  const rows = new Float64Array(n * 8);
  for (let y = 0; y < n; y++)
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let x = 0; x < n; x++) s += grid[y * n + x]! * basis[u * n + x]!;
      rows[y * 8 + u] = s;
    }
  const coeffs = new Float64Array(64);
  for (let v = 0; v < 8; v++)
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < n; y++) s += rows[y * 8 + u]! * basis[v * n + y]!;
      coeffs[v * 8 + u] = s;
    }
  // The DC term is the mean brightness: leave it out of the median so exposure does not flip bits.
  const median = [...coeffs.slice(1)].sort((a, b) => a - b)[31]!;
  let bits = 0n;
  for (let i = 0; i < 64; i++) bits = (bits << 1n) | (coeffs[i]! > median ? 1n : 0n);
  return bits.toString(16).padStart(16, '0');
}

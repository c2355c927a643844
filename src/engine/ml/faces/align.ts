import type { RgbImage } from '../../imaging/rgb-image';
import type { Point } from '../../../common/api/library';

/** Side of the aligned face crop every ArcFace-style embedder expects. */
export const ALIGNED_SIZE = 112;

/**
 * ArcFace's 112x112 five-point template (insightface), in DetectedFace landmark order:
 * image-left eye, image-right eye, nose tip, image-left mouth corner, image-right mouth corner.
 */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** A 2D similarity as an affine map: x' = a*x - b*y + tx, y' = b*x + a*y + ty (a = s*cos, b = s*sin). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/**
 * Least-squares similarity (rotation, uniform scale, translation; no reflection) taking `from` onto `to`,
 * i.e. Umeyama's estimate. Hand-written because in 2D it is a complex-number regression, to = z*from + t,
 * solved in closed form: z = sum(conj(f) * t) / sum(|f|^2) over centred points. No npm library does this
 * without pulling in a whole linear-algebra or OpenCV build.
 */
export function estimateSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) throw new Error('estimateSimilarity needs two equal lists of >= 2 points');
  const n = from.length;
  const [fx, fy] = centroid(from);
  const [gx, gy] = centroid(to);
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const x = from[i]![0] - fx;
    const y = from[i]![1] - fy;
    const u = to[i]![0] - gx;
    const v = to[i]![1] - gy;
    dot += x * u + y * v;
    cross += x * v - y * u;
    norm += x * x + y * y;
  }
  const a = norm > 0 ? dot / norm : 1;
  const b = norm > 0 ? cross / norm : 0;
  return { a, b, tx: gx - (a * fx - b * fy), ty: gy - (b * fx + a * fy) };
}

export function applySimilarity(t: Similarity, [x, y]: Point): Point {
  return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** The similarity that takes a face's five landmarks (image pixels) onto the ArcFace template. */
export function alignmentTransform(landmarks: readonly Point[]): Similarity {
  return estimateSimilarity(landmarks, ARCFACE_TEMPLATE);
}

/**
 * How the warp samples the source. `bilinear` is insightface's cv2.warpAffine default; `bicubic`
 * (OpenCV's INTER_CUBIC kernel) keeps more of a small face's edges when it is enlarged to 112 px and is
 * what the embedder gets (see face-analyzer.ts for the measurement). Face quality's sharpness ramp was
 * measured on bilinear crops, so quality keeps reading those.
 */
export type Interpolation = 'bilinear' | 'bicubic';

/**
 * Warps the face onto the 112x112 ArcFace template: packed RGB, black outside the image (what
 * insightface's cv2.warpAffine does, with OpenCV's integer pixel-centre convention).
 * The source position advances by a constant step along each output row, so the loop does no
 * per-pixel matrix product or allocation: a group photo aligns 100 faces in a few milliseconds.
 */
export function alignFace(image: RgbImage, landmarks: readonly Point[], interpolation: Interpolation = 'bilinear'): Uint8Array {
  const { a, b, tx, ty } = invertSimilarity(alignmentTransform(landmarks));
  const sample = interpolation === 'bicubic' ? sampleBicubic : sampleBilinear;
  const out = new Uint8Array(ALIGNED_SIZE * ALIGNED_SIZE * 3);
  let o = 0;
  for (let y = 0; y < ALIGNED_SIZE; y++) {
    // Source of output pixel (0, y); each step in x adds (a, b).
    let sx = -b * y + tx;
    let sy = a * y + ty;
    for (let x = 0; x < ALIGNED_SIZE; x++, sx += a, sy += b, o += 3) sample(image, sx, sy, out, o);
  }
  return out;
}

/** Writes the bilinear sample of `image` at (sx, sy) into out[o..o+2]; neighbours outside read black. */
function sampleBilinear({ data, width, height }: RgbImage, sx: number, sy: number, out: Uint8Array, o: number): void {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) return; // all four neighbours outside: black
  const fx = sx - x0;
  const fy = sy - y0;
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  const inX0 = x0 >= 0;
  const inX1 = x0 + 1 < width;
  const inY0 = y0 >= 0;
  const inY1 = y0 + 1 < height;
  const i00 = (y0 * width + x0) * 3;
  const i01 = i00 + width * 3;
  for (let c = 0; c < 3; c++) {
    const p00 = inX0 && inY0 ? data[i00 + c]! : 0;
    const p10 = inX1 && inY0 ? data[i00 + 3 + c]! : 0;
    const p01 = inX0 && inY1 ? data[i01 + c]! : 0;
    const p11 = inX1 && inY1 ? data[i01 + 3 + c]! : 0;
    out[o + c] = Math.round(p00 * w00 + p10 * w10 + p01 * w01 + p11 * w11);
  }
}

/** OpenCV's INTER_CUBIC (Keys, a = -0.75) weights of the four taps around a fractional position t. */
function cubicWeights(t: number, into: Float64Array): void {
  const a = -0.75;
  const near = (x: number): number => ((a + 2) * x - (a + 3)) * x * x + 1;
  const far = (x: number): number => ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  into[0] = far(1 + t);
  into[1] = near(t);
  into[2] = near(1 - t);
  into[3] = far(2 - t);
}

// Scratch for sampleBicubic's tap weights (the warp is synchronous, so one pair serves every call).
const weightsX = new Float64Array(4);
const weightsY = new Float64Array(4);

/** Writes the 4×4 cubic sample of `image` at (sx, sy) into out[o..o+2]; taps outside read black. */
function sampleBicubic({ data, width, height }: RgbImage, sx: number, sy: number, out: Uint8Array, o: number): void {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  if (x0 < -2 || y0 < -2 || x0 > width || y0 > height) return; // every tap outside: black
  cubicWeights(sx - x0, weightsX);
  cubicWeights(sy - y0, weightsY);
  let r = 0;
  let g = 0;
  let b = 0;
  for (let j = 0; j < 4; j++) {
    const py = y0 - 1 + j;
    if (py < 0 || py >= height) continue;
    for (let i = 0; i < 4; i++) {
      const px = x0 - 1 + i;
      if (px < 0 || px >= width) continue;
      const w = weightsX[i]! * weightsY[j]!;
      const at = (py * width + px) * 3;
      r += w * data[at]!;
      g += w * data[at + 1]!;
      b += w * data[at + 2]!;
    }
  }
  out[o] = Math.min(255, Math.max(0, Math.round(r)));
  out[o + 1] = Math.min(255, Math.max(0, Math.round(g)));
  out[o + 2] = Math.min(255, Math.max(0, Math.round(b)));
}

function centroid(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

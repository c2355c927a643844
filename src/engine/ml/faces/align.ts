import type { RgbImage } from '../../imaging/rgb-image';
import type { Point } from './types';

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
 * Warps the face onto the 112x112 ArcFace template: packed RGB, bilinear, black outside the image
 * (what insightface's cv2.warpAffine does, with OpenCV's integer pixel-centre convention).
 */
export function alignFace(image: RgbImage, landmarks: readonly Point[]): Uint8Array {
  const inverse = invertSimilarity(alignmentTransform(landmarks));
  const out = new Uint8Array(ALIGNED_SIZE * ALIGNED_SIZE * 3);
  const { data, width, height } = image;
  for (let y = 0; y < ALIGNED_SIZE; y++) {
    for (let x = 0; x < ALIGNED_SIZE; x++) {
      const [sx, sy] = applySimilarity(inverse, [x, y]);
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (y * ALIGNED_SIZE + x) * 3;
      for (let c = 0; c < 3; c++) {
        const p00 = pixel(data, width, height, x0, y0, c);
        const p10 = pixel(data, width, height, x0 + 1, y0, c);
        const p01 = pixel(data, width, height, x0, y0 + 1, c);
        const p11 = pixel(data, width, height, x0 + 1, y0 + 1, c);
        const top = p00 + (p10 - p00) * fx;
        const bottom = p01 + (p11 - p01) * fx;
        out[o + c] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return out;
}

function pixel(data: Uint8Array, width: number, height: number, x: number, y: number, c: number): number {
  return x < 0 || y < 0 || x >= width || y >= height ? 0 : data[(y * width + x) * 3 + c]!;
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

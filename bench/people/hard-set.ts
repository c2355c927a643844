import sharp from 'sharp';
import { seededRandom } from '../seeded-random';

/** How one labelled photo is made hard: what a web crop or a small face in a group photo looks like. */
export interface Degradation {
  /** Crop side as a multiple of the face box's larger side (1.0 = the box itself; "tight"). */
  margin: number;
  /** Long side of the result, in pixels. */
  size: number;
  /** Gaussian blur sigma applied after scaling (sharp needs ≥ 0.3; 0 = none). */
  blur: number;
  /** JPEG quality of the re-compression. */
  jpegQuality: number;
}

/**
 * The hard set: a face cropped tight, scaled to 60-120 px, blurred and re-compressed. Drawn
 * from a seeded generator per photo name, so the set is the same on every machine and every run.
 */
export function degradationFor(name: string, seed = 13): Degradation {
  let hash = seed;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0;
  const random = seededRandom(hash >>> 0);
  const blurDraw = random();
  return {
    margin: 1.15 + 0.35 * random(),
    size: Math.round(60 + 60 * random()),
    blur: blurDraw < 0.25 ? 0 : 0.3 + 0.9 * random(),
    jpegQuality: Math.round(25 + 40 * random()),
  };
}

/** The region of the original (upright pixels) that a face's hard crop is cut from, clipped to the image. */
export function degradedRegion(
  box: readonly [number, number, number, number],
  width: number,
  height: number,
  margin: number,
): { left: number; top: number; width: number; height: number } {
  const side = Math.max(box[2], box[3]) * margin;
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  const left = Math.max(0, Math.round(cx - side / 2));
  const top = Math.max(0, Math.round(cy - side / 2));
  return {
    left,
    top,
    width: Math.max(1, Math.min(Math.round(side), width - left)),
    height: Math.max(1, Math.min(Math.round(side), height - top)),
  };
}

/** The degraded crop of one face (`box` in the original's upright pixels), as JPEG bytes. */
export async function degradedFace(file: string, box: readonly [number, number, number, number], d: Degradation): Promise<Buffer> {
  const image = sharp(file).rotate();
  const { width = 0, height = 0 } = await image.metadata();
  const region = degradedRegion(box, width, height, d.margin);
  const scaled = await sharp(file).rotate().extract(region).resize({ width: d.size, height: d.size, fit: 'inside' }).png().toBuffer();
  const blurred = d.blur > 0 ? sharp(scaled).blur(d.blur) : sharp(scaled);
  return blurred.jpeg({ quality: d.jpegQuality }).toBuffer();
}

import sharp from 'sharp';
import type { Point } from '../../../common/api/library';
import type { RgbImage } from '../../imaging/rgb-image';
import type { YuNetDetector } from './detector';
import { mirrorImage } from './mirror';
import { twinOf, unmirrorFace } from './mirrored-landmarks';
import { alignmentTransform } from './align';
import { scaleFace, type DetectedFace } from './types';

export interface LandmarkViews {
  /** The window around a face, as a multiple of its box's longer side (the rest is context, black outside the image). */
  context: number;
  /** The face's box side, in pixels, in each view the detector sees again (each also mirrored). */
  faceSides: readonly number[];
  /** Also look at the whole (analysis) image's mirror image: one more detector run per photo. */
  wholeImageMirror: boolean;
  /** Only faces that the warp onto the 112 px template enlarges more than this many times get the looks. */
  enlargedAbove: number;
}

/**
 * More looks of the detector at a face: a window around it (twice its box, so a face cut tight at the
 * image's edge gets the context the detector was trained with) rendered with the face at 64, 128 and
 * 192 px, each also mirrored, averaged with the whole-image pass and its mirror
 * (detector.mirroredLandmarks). Why: on a small face a landmark is off by a pixel or two, a pixel of a
 * 60 px face is a lot once it is warped to 112 px, and the looks' errors are partly independent, so their
 * mean is closer to the truth. Measured (bench/people/landmark-variants.ts and embed-sets.ts,
 * src/engine/people/README.md): more sizes (48-256 px, seven) add nothing; without the 192 px view (half
 * the cost) or without the whole-image mirror, hard LFW's F1 falls 0.913 → 0.909; whole-image passes at
 * 2× and 3× help as much but only where the image itself is small.
 */
export const LANDMARK_VIEWS: LandmarkViews = { context: 2, faceSides: [64, 128, 192], wholeImageMirror: true, enlargedAbove: 1.25 };

/**
 * True when aligning `face` onto the 112 px ArcFace template enlarges it more than `above` times: then a
 * landmark's error of a pixel grows with the warp. A face the warp shrinks (a portrait, a face from a
 * detail decode), or barely enlarges, gains nothing measurable from more looks, so it is not worth their
 * cost. Why 1.25 (measured, src/engine/people/README.md, Landmarks): refining every face the warp enlarges
 * at all gave the same clusters (hard LFW F1 0.913 against 0.912, LFW-dev 0.987 against 0.986) at five
 * times the cost on an average library's photos, where most faces are enlarged 1.0-1.25×; from 1.5 on,
 * hard celebs' F1 falls 0.971 → 0.939.
 */
export function enlargedByAlignment(face: DetectedFace, above = LANDMARK_VIEWS.enlargedAbove): boolean {
  const { a, b } = alignmentTransform(face.landmarks);
  return Math.hypot(a, b) > above;
}

/**
 * analyzeFaces' landmarks. `detected` are detect()'s faces in `analysis`; they are aligned from `source`,
 * `toSource` times its size (a detail decode, or `analysis` itself with 1). The faces that alignment
 * enlarges (enlargedByAlignment) get the mirror pass over `analysis` and the windows of refineLandmarks
 * over `source`; the others keep the detector's one look, and a photo without such a face costs no more
 * than one detector run. Why the gate: the looks cost ~50 ms per face on a slow 2-core machine, and on
 * portraits and most faces of phone photos they changed nothing but the bill.
 */
export async function refineEnlargedFaces(
  detector: YuNetDetector,
  analysis: RgbImage,
  detected: readonly DetectedFace[],
  source: RgbImage,
  toSource: number,
  views: LandmarkViews = LANDMARK_VIEWS,
): Promise<DetectedFace[]> {
  const faces = detected.map((face) => scaleFace(face, toSource));
  const enlarged = faces.map((face) => enlargedByAlignment(face, views.enlargedAbove));
  if (!enlarged.includes(true)) return faces;
  const chosen = detected.filter((_, i) => enlarged[i]);
  const looked = views.wholeImageMirror ? await detector.mirroredLandmarks(analysis, chosen) : chosen;
  const refined = await refineLandmarks(
    detector,
    source,
    looked.map((face) => scaleFace(face, toSource)),
    views,
  );
  let next = 0;
  return faces.map((face, i) => (enlarged[i] ? refined[next++]! : face));
}

/**
 * `faces` (found in `image`) with their landmarks averaged with the ones the detector places in each view
 * of `views` (a face is matched in a view by IoU ≥ 0.5 with its box). Boxes and scores are unchanged; a
 * face the detector does not find again in a view just has one look fewer.
 */
export async function refineLandmarks(
  detector: YuNetDetector,
  image: RgbImage,
  faces: readonly DetectedFace[],
  views: LandmarkViews = LANDMARK_VIEWS,
): Promise<DetectedFace[]> {
  const refined: DetectedFace[] = [];
  for (const face of faces) {
    const looks: Point[][] = [face.landmarks];
    const [x, y, w, h] = face.box;
    const side = Math.max(1, Math.round(Math.max(w, h) * views.context));
    const left = Math.round(x + w / 2 - side / 2);
    const top = Math.round(y + h / 2 - side / 2);
    const framed = frameWindow(image, left, top, side);
    for (const faceSide of views.faceSides) {
      const size = Math.max(32, Math.round((side * faceSide) / Math.max(w, h)));
      const k = size / side;
      const window = await resized(framed, size);
      // Window pixel i covers image [left + i / k, left + (i + 1) / k): YuNet's [i, i + 1) convention.
      const back = (f: DetectedFace): DetectedFace => ({
        box: [left + f.box[0] / k, top + f.box[1] / k, f.box[2] / k, f.box[3] / k],
        score: f.score,
        landmarks: f.landmarks.map(([px, py]) => [left + px / k, top + py / k]),
      });
      for (const found of [await detector.detect(window), (await detector.detect(mirrorImage(window))).map((f) => unmirrorFace(f, size))]) {
        const twin = twinOf(face, found.map(back));
        if (twin) looks.push(twin.landmarks);
      }
    }
    refined.push({ ...face, landmarks: face.landmarks.map((_, n): Point => mean(looks.map((l) => l[n]!))) });
  }
  return refined;
}

/**
 * The square of `image` at (left, top) with side `side`, black outside the image. Copied row by row here:
 * handing the whole analysis image to sharp for each face would copy all of it every time.
 */
function frameWindow(image: RgbImage, left: number, top: number, side: number): RgbImage {
  const data = new Uint8Array(side * side * 3);
  const from = Math.max(0, -left);
  const to = Math.min(side, image.width - left);
  for (let row = 0; row < side && to > from; row++) {
    const y = top + row;
    if (y < 0 || y >= image.height) continue;
    const start = (y * image.width + left) * 3;
    data.set(image.data.subarray(start + from * 3, start + to * 3), (row * side + from) * 3);
  }
  return { data, width: side, height: side };
}

async function resized(window: RgbImage, size: number): Promise<RgbImage> {
  const { data, info } = await sharp(window.data, { raw: { width: window.width, height: window.height, channels: 3 } })
    .resize(size, size, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

function mean(points: readonly Point[]): Point {
  return [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
}

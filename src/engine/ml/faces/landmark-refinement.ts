import sharp from 'sharp';
import type { Point } from '../../../common/api/library';
import type { RgbImage } from '../../imaging/rgb-image';
import type { YuNetDetector } from './detector';
import { mirrorImage } from './mirror';
import { twinOf, unmirrorFace } from './mirrored-landmarks';
import type { DetectedFace } from './types';

export interface LandmarkViews {
  /** The window around a face, as a multiple of its box's longer side (the rest is context, black outside the image). */
  context: number;
  /** The face's box side, in pixels, in each view the detector sees again (each also mirrored). */
  faceSides: readonly number[];
}

/**
 * More looks of the detector at each face: a window around it (twice its box, so a face cut tight at the
 * image's edge gets the context the detector was trained with) rendered with the face at 64, 128 and 192 px,
 * each also mirrored. analyzeFaces averages them with the whole-image pass and its mirror
 * (detector.detectWithMirroredLandmarks). Why: on a small face a landmark is off by a pixel or two, a pixel
 * of a 60 px face is a lot once it is warped to 112 px, and the looks' errors are partly independent, so
 * their mean is closer to the truth. Measured (bench/people/landmark-variants.ts, src/engine/people/README.md):
 * more sizes (48-256 px, seven) add nothing; whole-image passes at 2× and 3× help as much but only where the
 * image itself is small.
 */
export const LANDMARK_VIEWS: LandmarkViews = { context: 2, faceSides: [64, 128, 192] };

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
    for (const faceSide of views.faceSides) {
      const size = Math.max(32, Math.round((side * faceSide) / Math.max(w, h)));
      const k = size / side;
      const window = await renderWindow(image, left, top, side, size);
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

/** The square of `image` at (left, top) with side `side` (black outside the image), resized to size × size. */
async function renderWindow(image: RgbImage, left: number, top: number, side: number, size: number): Promise<RgbImage> {
  const from = { left: Math.max(0, left), top: Math.max(0, top) };
  const to = { right: Math.min(image.width, left + side), bottom: Math.min(image.height, top + side) };
  const inside = { width: Math.max(1, to.right - from.left), height: Math.max(1, to.bottom - from.top) };
  // Two pipelines: sharp applies extend after resize within one, and the border must be scaled with the face.
  const framed = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left: Math.min(from.left, image.width - 1), top: Math.min(from.top, image.height - 1), ...inside })
    .extend({
      left: from.left - left,
      top: from.top - top,
      right: Math.max(0, side - inside.width - (from.left - left)),
      bottom: Math.max(0, side - inside.height - (from.top - top)),
      background: { r: 0, g: 0, b: 0 },
    })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { data, info } = await sharp(framed.data, { raw: { width: framed.info.width, height: framed.info.height, channels: 3 } })
    .resize(size, size, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

function mean(points: readonly Point[]): Point {
  return [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
}

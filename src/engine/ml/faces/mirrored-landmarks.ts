import type { Point } from '../../../common/api/library';
import { boxIou } from './nms';
import type { DetectedFace } from './types';

/** A face and its twin from the mirror image overlap at least this much (IoU) to be one face. */
const TWIN_MIN_IOU = 0.5;

/**
 * A face the detector found in the mirror image, put back into the unflipped image's pixels: x → width − x
 * (YuNet's coordinates put pixel i at [i, i + 1): with that convention a mirror pass has no mean offset
 * on large faces, with the pixel-centre one, x → width − 1 − x, it is off by a pixel), and the
 * image-left / image-right landmarks swapped back into DetectedFace's order.
 */
export function unmirrorFace(face: DetectedFace, width: number): DetectedFace {
  const [x, y, w, h] = face.box;
  const back = ([px, py]: Point): Point => [width - px, py];
  const [leftEye, rightEye, nose, leftMouth, rightMouth] = face.landmarks.map(back) as [Point, Point, Point, Point, Point];
  return { box: [width - x - w, y, w, h], score: face.score, landmarks: [rightEye, leftEye, nose, rightMouth, leftMouth] };
}

/**
 * Each face with its landmarks averaged with those of its twin among `mirrored` (unflipped faces from the
 * mirror image; the twin is the one overlapping it most, at IoU ≥ 0.5). Boxes, scores and which faces
 * exist stay the unflipped pass's; a face without a twin keeps its own landmarks.
 */
export function withMirroredLandmarks(faces: readonly DetectedFace[], mirrored: readonly DetectedFace[]): DetectedFace[] {
  return faces.map((face) => {
    const other = twinOf(face, mirrored)?.landmarks;
    if (!other) return face;
    return { ...face, landmarks: face.landmarks.map(([x, y], i): Point => [(x + other[i]![0]) / 2, (y + other[i]![1]) / 2]) };
  });
}

/** The face of `candidates` (another look at the same image) overlapping `face` most, at IoU ≥ 0.5. */
export function twinOf(face: DetectedFace, candidates: readonly DetectedFace[]): DetectedFace | undefined {
  let twin: DetectedFace | undefined;
  let best = TWIN_MIN_IOU;
  for (const candidate of candidates) {
    const overlap = boxIou(face.box, candidate.box);
    if (overlap >= best) [twin, best] = [candidate, overlap];
  }
  return twin;
}

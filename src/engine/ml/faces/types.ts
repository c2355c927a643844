import type { Point } from '../../../common/api/library';

/**
 * One face found by the detector, in the pixels of the image it was given.
 * Landmarks are in ArcFace template order, "left"/"right" meaning the image's left/right (so the
 * first point is the person's right eye): image-left eye, image-right eye, nose tip,
 * image-left mouth corner, image-right mouth corner. This is also the order YuNet emits them.
 */
export interface DetectedFace {
  /** [x, y, width, height], top-left origin. */
  box: [number, number, number, number];
  /** Detector confidence in [0, 1]. */
  score: number;
  landmarks: Point[];
}

/** `face` in the pixels of an image `sx` (and `sy`) times the size of the one it was found in. */
export function scaleFace(face: DetectedFace, sx: number, sy: number = sx): DetectedFace {
  if (sx === 1 && sy === 1) return face;
  const [x, y, w, h] = face.box;
  return { box: [x * sx, y * sy, w * sx, h * sy], score: face.score, landmarks: face.landmarks.map(([px, py]) => [px * sx, py * sy]) };
}

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

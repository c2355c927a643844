import type { DetectedFace } from './types';

/** Intersection over union of two [x, y, w, h] boxes. */
export function boxIou(a: DetectedFace['box'], b: DetectedFace['box']): number {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression, as OpenCV's dnn::NMSBoxes does for FaceDetectorYN: keep the best
 * face, drop every other face overlapping it by more than `iouThreshold`, repeat. Hand-written because
 * it is a dozen lines and the npm packages for it are unmaintained or tied to a tensor library.
 */
export function nonMaxSuppression(faces: DetectedFace[], iouThreshold: number, topK = Infinity): DetectedFace[] {
  const sorted = [...faces].sort((a, b) => b.score - a.score);
  const kept: DetectedFace[] = [];
  for (const face of sorted) {
    if (kept.length >= topK) break;
    if (kept.every((k) => boxIou(k.box, face.box) <= iouThreshold)) kept.push(face);
  }
  return kept;
}

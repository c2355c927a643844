import type { Point } from '../../../common/api/library';
import { alignmentTransform, applySimilarity, ARCFACE_TEMPLATE, invertSimilarity } from './align';

/** The template scaled about its centre by `scale` and shifted by (dx, dy) template pixels. */
export interface JitteredAlignment {
  scale: number;
  dx: number;
  dy: number;
}

/**
 * The alignments besides the plain one that a face the warp enlarges is also embedded from (their
 * embeddings are averaged: face-analyzer.ts). Why: on such a face even refined landmarks are uncertain
 * by a pixel or so, which the warp magnifies, so a single alignment is one guess; averaging over nearby
 * alignments marginalises that guess. Scale ±5% and a shift of ±2 px on the diagonal, as measured in
 * bench/people/embed-variants.ts (src/engine/people/README.md, "Alignment jitter").
 */
export const ALIGNMENT_JITTER: readonly JitteredAlignment[] = [
  { scale: 0.95, dx: 0, dy: 0 },
  { scale: 1.05, dx: 0, dy: 0 },
  { scale: 1, dx: 2, dy: 2 },
  { scale: 1, dx: -2, dy: -2 },
];

const [CENTRE_X, CENTRE_Y] = ARCFACE_TEMPLATE.reduce<Point>(
  ([x, y], p) => [x + p[0] / ARCFACE_TEMPLATE.length, y + p[1] / ARCFACE_TEMPLATE.length],
  [0, 0],
);

/**
 * Landmarks whose alignment onto the template (alignFace) warps the face as aligning `landmarks` onto the
 * jittered template would: each point is carried into template space, moved by the inverse jitter and
 * carried back. So the one alignFace serves every view and no second warp routine is needed.
 */
export function jitteredLandmarks(landmarks: readonly Point[], { scale, dx, dy }: JitteredAlignment): Point[] {
  const toTemplate = alignmentTransform(landmarks);
  const back = invertSimilarity(toTemplate);
  return landmarks.map((point) => {
    const [u, v] = applySimilarity(toTemplate, point);
    return applySimilarity(back, [(u - CENTRE_X - dx) / scale + CENTRE_X, (v - CENTRE_Y - dy) / scale + CENTRE_Y]);
  });
}

import type { Point } from '../../../common/api/library';
import { convexHull, minAreaRect, normalizeRect, type RotatedRect } from './geometry';

/** A text region found by the detector, in the probability map's pixels. */
export interface TextRegion {
  rect: RotatedRect;
  /** Mean text probability over the region's pixels. */
  score: number;
}

export interface DbOptions {
  /** A pixel is text when its probability exceeds this (PaddleOCR's det_db_thresh 0.3). */
  pixelThreshold: number;
  /** A region is kept when its mean probability reaches this (det_db_box_thresh 0.6). */
  boxThreshold: number;
  /** The region is grown by area × ratio / perimeter on each side, as DB was trained (det_db_unclip_ratio 1.5). */
  unclipRatio: number;
  /** Regions whose shorter side (after growing) is below this many map pixels are noise (min_size 3, + 2). */
  minSide: number;
  /** Components examined at most, largest first (PaddleOCR's max_candidates 1000). */
  maxCandidates: number;
}

export const DEFAULT_DB_OPTIONS: DbOptions = { pixelThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSide: 5, maxCandidates: 1000 };

interface Component {
  pixels: number;
  sum: number;
  /** Per row of the component: the leftmost and rightmost pixel (the hull of these is the component's hull). */
  rows: Map<number, [number, number]>;
}

/**
 * DB (Differentiable Binarization) post-processing, as PaddleOCR's DBPostProcess: binarise the map,
 * take each connected text blob, fit its minimum-area rectangle, score it, and grow it back to the
 * text's full extent (the network is trained on shrunk text kernels).
 */
export function decodeTextRegions(map: Float32Array, width: number, height: number, options: DbOptions = DEFAULT_DB_OPTIONS): TextRegion[] {
  const components = connectedComponents(map, width, height, options.pixelThreshold);
  components.sort((a, b) => b.pixels - a.pixels);
  const regions: TextRegion[] = [];
  for (const component of components.slice(0, options.maxCandidates)) {
    if (component.pixels < 3) continue;
    const score = component.sum / component.pixels;
    if (score < options.boxThreshold) continue;
    const points: Point[] = [];
    // Pixel corners, not centres: a one-pixel-high line still has an area.
    for (const [y, [x0, x1]] of component.rows) points.push([x0, y], [x1 + 1, y], [x0, y + 1], [x1 + 1, y + 1]);
    const rect = minAreaRect(convexHull(points));
    if (Math.min(rect.width, rect.height) < 2) continue;
    const grown = unclip(rect, options.unclipRatio);
    if (Math.min(grown.width, grown.height) < options.minSide) continue;
    regions.push({ rect: grown, score });
  }
  return regions;
}

/** Offsets a rectangle outwards by area × ratio / perimeter (pyclipper's offset of a rectangle, corners squared). */
export function unclip(rect: RotatedRect, ratio: number): RotatedRect {
  const distance = (rect.width * rect.height * ratio) / (2 * (rect.width + rect.height));
  return normalizeRect({ ...rect, width: rect.width + 2 * distance, height: rect.height + 2 * distance });
}

/** 4-connected components of the pixels above `threshold`, with their probability sums. */
function connectedComponents(map: Float32Array, width: number, height: number, threshold: number): Component[] {
  const label = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const components: Component[] = [];
  for (let start = 0; start < map.length; start++) {
    if (label[start] !== 0 || map[start]! <= threshold) continue;
    const component: Component = { pixels: 0, sum: 0, rows: new Map() };
    components.push(component);
    const id = components.length;
    let top = 0;
    stack[top++] = start;
    label[start] = id;
    while (top > 0) {
      const index = stack[--top]!;
      const x = index % width;
      const y = (index - x) / width;
      component.pixels++;
      component.sum += map[index]!;
      const row = component.rows.get(y);
      if (row) {
        if (x < row[0]) row[0] = x;
        if (x > row[1]) row[1] = x;
      } else component.rows.set(y, [x, x]);
      const push = (n: number) => {
        if (label[n] === 0 && map[n]! > threshold) {
          label[n] = id;
          stack[top++] = n;
        }
      };
      if (x > 0) push(index - 1);
      if (x < width - 1) push(index + 1);
      if (y > 0) push(index - width);
      if (y < height - 1) push(index + width);
    }
  }
  return components;
}

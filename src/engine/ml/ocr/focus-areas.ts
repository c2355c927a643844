import type { TextRegion } from './db-postprocess';
import { boundingBox } from './geometry';

/**
 * An axis-aligned area of an image (x, y, width, height in pixels) and the scale the detector should
 * see it at: enough to bring its text to about TEXT_HEIGHT pixels, never enlarged.
 */
export type Area = [number, number, number, number, number];

/**
 * DB finds lines of this height and up reliably; a large sign shrunk to it costs a fraction of being
 * detected at full size (the recogniser still cuts the line from the full-size image).
 */
const TEXT_HEIGHT = 48;

/**
 * Each region found by the low-resolution check is widened by this many of its own heights on every
 * side: text seen there may run on (a second word, a smaller line below) beyond what 384 px showed.
 */
const MARGIN_IN_HEIGHTS = 1.5;

/**
 * The areas of the image the full read should look at, from the low-resolution check's regions:
 * widened, merged where they overlap, clipped to the image. When they cover so much of the photo that
 * reading it whole is as cheap, the whole photo, still at the scale its smallest text needs (big
 * letters need not be detected at full resolution). Null when there are no regions to go by.
 */
export function focusAreas(regions: readonly TextRegion[], width: number, height: number, maxShare = 0.4): Area[] | null {
  let areas: Area[] = regions.map((r) => {
    const [x, y, w, h] = boundingBox(r.rect);
    const lineHeight = Math.min(r.rect.height, r.rect.width);
    const margin = lineHeight * MARGIN_IN_HEIGHTS + 8;
    return clip([x - margin, y - margin, w + 2 * margin, h + 2 * margin, Math.min(1, TEXT_HEIGHT / lineHeight)], width, height);
  });
  areas = mergeOverlapping(areas);
  const covered = areas.reduce((sum, [, , w, h]) => sum + w * h, 0);
  if (areas.length === 0) return null;
  return covered > maxShare * width * height ? [[0, 0, width, height, Math.max(...areas.map((a) => a[4]))]] : areas;
}

function clip([x, y, w, h, scale]: Area, width: number, height: number): Area {
  const left = Math.max(0, Math.floor(x));
  const top = Math.max(0, Math.floor(y));
  return [left, top, Math.min(width, Math.ceil(x + w)) - left, Math.min(height, Math.ceil(y + h)) - top, scale];
}

/** Unions overlapping areas until none overlap, so no text is read twice. */
function mergeOverlapping(input: Area[]): Area[] {
  const areas = [...input];
  for (let merged = true; merged;) {
    merged = false;
    outer: for (let i = 0; i < areas.length; i++) {
      for (let j = i + 1; j < areas.length; j++) {
        const a = areas[i]!;
        const b = areas[j]!;
        if (a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]) {
          const x = Math.min(a[0], b[0]);
          const y = Math.min(a[1], b[1]);
          // The finer scale of the two, so the smaller text of the merged area is still seen.
          areas[i] = [x, y, Math.max(a[0] + a[2], b[0] + b[2]) - x, Math.max(a[1] + a[3], b[1] + b[3]) - y, Math.max(a[4], b[4])];
          areas.splice(j, 1);
          merged = true;
          break outer;
        }
      }
    }
  }
  return areas;
}

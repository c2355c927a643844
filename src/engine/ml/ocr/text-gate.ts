import type { RgbImage } from '../../imaging/rgb-image';
import type { DbOptions, TextRegion } from './db-postprocess';
import type { TextDetector } from './text-detector';

/**
 * The low-resolution pass that decides whether a photo has text at all. Most photos have none, and
 * the full read (detector at 960 px, a recogniser run per line) costs over ten times the face pass,
 * so every photo gets only this: the same detector on the analysis decode shrunk to 448 px (a fifth
 * of the full pass's pixels). A text region there, even a weak one, sends the photo to the full read,
 * which then looks only where the check saw text (focus-areas.ts); the thresholds are looser than the
 * full pass's, because a missed photo is never read. Measured with facet bench ocr (80 signs, 80
 * photos without): 320 px found 85% of the signs, 384 px 90%, 448 px 95% (the
 * misses: small, thin text on a busy background), 512 px no more, with more false alarms (35%).
 */
export const GATE_LONG_SIDE = 448;
export const GATE_DB_OPTIONS: DbOptions = { pixelThreshold: 0.3, boxThreshold: 0.5, unclipRatio: 1.5, minSide: 3, maxCandidates: 1000 };

export interface GateVerdict {
  hasText: boolean;
  /** Where the text is, roughly, in `image`'s pixels: the full read looks only there. */
  regions: TextRegion[];
}

export async function detectTextPresence(detector: TextDetector, image: RgbImage): Promise<GateVerdict> {
  const regions = await detector.detect(image, GATE_LONG_SIDE, GATE_DB_OPTIONS);
  return { hasText: regions.length > 0, regions };
}

/**
 * A region as fractions of the image it was found in (x and y by the image's own sides, the rectangle's
 * sides by its width), so it can be kept and laid over a decode of another size: [cx, cy, w, h, angle].
 */
export type RelativeRegion = [number, number, number, number, number];

export function toRelative(regions: readonly TextRegion[], image: { width: number; height: number }): RelativeRegion[] {
  return regions.map(({ rect }) => [
    rect.cx / image.width,
    rect.cy / image.height,
    rect.width / image.width,
    rect.height / image.width,
    rect.angle,
  ]);
}

export function fromRelative(regions: readonly RelativeRegion[], image: { width: number; height: number }): TextRegion[] {
  return regions.map(([cx, cy, w, h, angle]) => ({
    score: 1,
    rect: { cx: cx * image.width, cy: cy * image.height, width: w * image.width, height: h * image.width, angle },
  }));
}

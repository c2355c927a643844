import type { RgbImage } from '../../imaging/rgb-image';
import { type DbOptions, DEFAULT_DB_OPTIONS, type TextRegion } from './db-postprocess';
import type { Area } from './focus-areas';
import type { RotatedRect } from './geometry';
import type { DecodedText } from './ctc-decode';
import { cropLine, type LineCrop } from './line-crop';
import { lineLanguage, type TextLanguage } from './script';
import type { TextDetector } from './text-detector';
import type { TextRecognizer } from './text-recognizer';

export interface OcrModels {
  detector: TextDetector;
  /** The default (Chinese and English) first; others installed by the user (Korean) after it. */
  recognizers: TextRecognizer[];
  /** "<detector id>+<recogniser id>": what a photo's stored text was read with. */
  modelId: string;
  provider: string;
}

/** A line of text read in a photo, in the pixels of the image it was read from. */
export interface ReadLine {
  text: string;
  confidence: number;
  language: TextLanguage;
  rect: RotatedRect;
}

export interface ReadTextResult {
  lines: ReadLine[];
  /** More regions were found than MAX_TEXT_LINES; the strongest were read. */
  truncated: boolean;
  regions: number;
}

/**
 * The full pass's detector input (PaddleOCR's det_limit_side_len 960): signs and labels a person
 * can read in a photo at screen size are found there.
 */
export const FULL_DETECTION_LONG_SIDE = 960;
/**
 * At most this many lines are recognised per photo (a page of small print, a wall of posters): each
 * costs a recognition run, so a photo with 2,000 text boxes still indexes in seconds.
 */
export const MAX_TEXT_LINES = 200;
/** Lines recognised with less confidence are mostly texture read as letters (PaddleOCR's drop_score). */
export const MIN_LINE_CONFIDENCE = 0.5;

/**
 * Detection, then recognition of the strongest regions, in reading order (top to bottom, then left
 * to right). `image` should be large enough for small print: the caller decodes it at detail size.
 */
export async function readText(
  image: RgbImage,
  models: Pick<OcrModels, 'detector' | 'recognizers'>,
  options: { maxLines?: number; db?: DbOptions; focus?: readonly Area[] | null } = {},
): Promise<ReadTextResult> {
  const maxLines = options.maxLines ?? MAX_TEXT_LINES;
  const db = options.db ?? DEFAULT_DB_OPTIONS;
  const regions = options.focus
    ? await detectInAreas(image, models.detector, options.focus, db)
    : await models.detector.detect(image, FULL_DETECTION_LONG_SIDE, db);
  const kept = [...regions].sort((a, b) => b.score - a.score).slice(0, maxLines);
  const crops = kept.map((r) => cropLine(image, r.rect));
  const texts = await mostConfident(models.recognizers, crops);
  const lines = kept
    .map((region, i) => ({
      text: texts[i]!.text,
      confidence: texts[i]!.confidence,
      language: lineLanguage(texts[i]!.text),
      rect: region.rect,
    }))
    .filter((line) => line.text.length > 0 && line.confidence >= MIN_LINE_CONFIDENCE);
  return { lines: readingOrder(lines), truncated: regions.length > maxLines, regions: regions.length };
}

/** Each line read by every recogniser (one per language family); the most confident reading wins. */
async function mostConfident(recognizers: readonly TextRecognizer[], crops: LineCrop[]): Promise<DecodedText[]> {
  let best: DecodedText[] = [];
  for (const recognizer of recognizers) {
    const texts = await recognizer.recognize(crops);
    best = best.length === 0 ? texts : best.map((b, i) => (texts[i]!.confidence > b.confidence ? texts[i]! : b));
  }
  return best;
}

/**
 * Detection in the areas the low-resolution check pointed at only, each at the scale its text needs
 * (see focus-areas.ts): a sign in a corner costs a fraction of reading the whole photo, and small
 * print is seen at full resolution.
 */
async function detectInAreas(image: RgbImage, detector: TextDetector, areas: readonly Area[], db: DbOptions): Promise<TextRegion[]> {
  const found: TextRegion[] = [];
  for (const [x, y, w, h, scale] of areas) {
    if (w < 8 || h < 8) continue;
    const area = w === image.width && h === image.height ? image : cropRgb(image, x, y, w, h);
    const regions = await detector.detect(area, Math.min(FULL_DETECTION_LONG_SIDE, Math.max(w, h) * scale), db);
    for (const r of regions) found.push({ score: r.score, rect: { ...r.rect, cx: r.rect.cx + x, cy: r.rect.cy + y } });
  }
  return found;
}

function cropRgb(image: RgbImage, x: number, y: number, w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let row = 0; row < h; row++) {
    const start = ((y + row) * image.width + x) * 3;
    data.set(image.data.subarray(start, start + w * 3), row * w * 3);
  }
  return { data, width: w, height: h };
}

/** Top to bottom; lines whose centres are within half a line height count as one row, read left to right. */
function readingOrder(lines: ReadLine[]): ReadLine[] {
  const sorted = [...lines].sort((a, b) => a.rect.cy - b.rect.cy);
  const rows: ReadLine[][] = [];
  for (const line of sorted) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0]!.rect.cy - line.rect.cy) < Math.min(row[0]!.rect.height, line.rect.height) / 2) row.push(line);
    else rows.push([line]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.rect.cx - b.rect.cx));
}

import fs from 'node:fs/promises';
import { decodePhoto } from '../imaging/decode';
import type { DecodedPhoto, RgbImage } from '../imaging/rgb-image';
import type { Library } from '../library/library';
import { type PhotoNeedingText, type TextLineToStore, TextStore } from '../library/text-store';
import { type OcrModels, readText, type ReadLine, type ReadTextResult } from '../ml/ocr/read-text';
import { type Area, focusAreas } from '../ml/ocr/focus-areas';
import { detectTextPresence } from '../ml/ocr/text-gate';

/**
 * The full read decodes the photo at this long side (JPEG shrink-on-load does most of it, so a
 * 100-megapixel photo never exists in memory at full size): the detector sees half of it, the
 * recogniser cuts its lines from all of it, so small print keeps its strokes.
 */
export const TEXT_READ_LONG_SIDE = 1920;

export interface TextPassOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Photos read at once (one onnxruntime thread each). */
  concurrency?: number;
}

export interface TextPassResult {
  /** Photos looked at by the low-resolution check (backfill of photos indexed before OCR existed). */
  scanned: number;
  /** Photos read in full (the check found text). */
  read: number;
  /** Photos with at least one line. */
  withText: number;
  /** Photos whose file could not be decoded now (moved away, damaged): left for the next pass. */
  failed: number;
}

/**
 * Text in photos, second stage, run after faces and people: every indexed photo this model has not
 * finished with. A photo the index run already checked (a candidate) is read in full; a photo indexed
 * before OCR existed (a backfill) gets the check first, and the full read only if it has text.
 * Resumable: progress is the scan table itself, one transaction per photo.
 */
export async function runTextPass(library: Library, models: OcrModels, options: TextPassOptions = {}): Promise<TextPassResult> {
  const store = new TextStore(library.db);
  const pending = store.photosNeedingText(models.modelId);
  const result: TextPassResult = { scanned: 0, read: 0, withText: 0, failed: 0 };
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < pending.length && !options.signal?.aborted; i = next++) {
      try {
        await processPhoto(library, store, models, pending[i]!, result);
      } catch (error) {
        if ((error as { code?: string })?.code?.startsWith('SQLITE_')) throw error;
        result.failed++;
      }
      options.onProgress?.(++done, pending.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return result;
}

async function processPhoto(library: Library, store: TextStore, models: OcrModels, photo: PhotoNeedingText, result: TextPassResult): Promise<void> {
  const bytes = await fs.readFile(photo.path);
  if (photo.state !== 'candidate') {
    const verdict = await detectTextPresence(models.detector, (await decodePhoto(bytes)).image);
    result.scanned++;
    if (!verdict.hasText) {
      library.db.transaction(() => store.recordScan(photo.id, models.modelId, false, 0)).immediate();
      return;
    }
  }
  const { detail, reading } = await readPhotoText(bytes, models);
  result.read++;
  if (reading.lines.length > 0) result.withText++;
  library.db.transaction(() => store.saveReading(photo.id, models.modelId, reading.lines.map((l) => toOriginal(l, detail)), reading.regions, reading.truncated)).immediate();
}

/** The full read of a photo the check found text in: detail decode, then detection where the text is, then recognition. */
export async function readPhotoText(bytes: Buffer, models: OcrModels): Promise<{ detail: DecodedPhoto; reading: ReadTextResult }> {
  const detail = await decodePhoto(bytes, { longSide: TEXT_READ_LONG_SIDE });
  return { detail, reading: await readText(detail.image, models, { focus: await whereToRead(models, detail.image) }) };
}

/**
 * The areas of the detail decode to read: where the low-resolution check (run again on this decode,
 * the same 384 px view) sees text. Null, the whole photo, when it sees text over much of it, or none.
 */
async function whereToRead(models: OcrModels, image: RgbImage): Promise<Area[] | null> {
  const verdict = await detectTextPresence(models.detector, image);
  return focusAreas(verdict.regions, image.width, image.height);
}

/** A line's rectangle from the detail decode's pixels to the upright original's. */
export function toOriginal(line: ReadLine, decoded: Pick<DecodedPhoto, 'scale'>): TextLineToStore {
  const s = decoded.scale;
  return {
    text: line.text,
    confidence: line.confidence,
    language: line.language,
    cx: line.rect.cx / s,
    cy: line.rect.cy / s,
    width: line.rect.width / s,
    height: line.rect.height / s,
    angle: line.rect.angle,
  };
}

import fs from 'node:fs/promises';
import { decodePhoto } from '../imaging/decode';
import type { DecodedPhoto, RgbImage } from '../imaging/rgb-image';
import type { Db } from '../library/database';
import type { Library } from '../library/library';
import { type PhotoNeedingText, type TextLineToStore, TextStore } from '../library/text-store';
import { type OcrModels, readText, type ReadLine, type ReadTextResult } from '../ml/ocr/read-text';
import { type Area, focusAreas } from '../ml/ocr/focus-areas';
import { detectTextPresence, fromRelative, GATE_LONG_SIDE, type RelativeRegion, toRelative } from '../ml/ocr/text-gate';

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
  /** Photos a resumed job already finished. */
  skip?: ReadonlySet<number>;
  /** How many photos this pass will look at, once known. */
  onTotal?: (total: number) => void;
  /** Inside each photo's own write transaction (a job records its progress there). */
  onPhotoWritten?: (db: Db, photoId: number) => void;
  onPhotoFailed?: () => void;
}

export interface TextPassResult {
  /** Photos looked at by the low-resolution check (backfill of photos indexed before OCR existed). */
  scanned: number;
  /** Photos read in full (the check found text). */
  read: number;
  /** Photos with at least one line. */
  withText: number;
  /** Photos whose read threw (moved away, damaged): recorded with the reason, retried by the next few passes. */
  failed: number;
}

/**
 * Text in photos, run by the `backfill-text` job after faces and people: every indexed photo this model
 * has not finished with gets the low-resolution check first, and the full read only if it has text. (A
 * photo an older index run already checked, a candidate, goes straight to the full read.) Resumable:
 * progress is the scan table itself, one transaction per photo.
 */
export async function runTextPass(library: Library, models: OcrModels, options: TextPassOptions = {}): Promise<TextPassResult> {
  const store = new TextStore(library.db);
  const pending = store.photosNeedingText(models.modelId).filter((p) => !options.skip?.has(p.id));
  options.onTotal?.(pending.length);
  const result: TextPassResult = { scanned: 0, read: 0, withText: 0, failed: 0 };
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < pending.length && !options.signal?.aborted; i = next++) {
      try {
        await processPhoto(library, store, models, pending[i]!, result, options.onPhotoWritten);
      } catch (error) {
        if ((error as { code?: string })?.code?.startsWith('SQLITE_')) throw error;
        // Kept with its reason, so the photo is not retried for ever (MAX_TEXT_ATTEMPTS) and `facet text` says why.
        store.recordFailure(pending[i]!.id, models.modelId, (error as Error)?.message ?? String(error));
        result.failed++;
        options.onPhotoFailed?.();
      }
      options.onProgress?.(++done, pending.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return result;
}

async function processPhoto(
  library: Library,
  store: TextStore,
  models: OcrModels,
  photo: PhotoNeedingText,
  result: TextPassResult,
  written: (db: Db, photoId: number) => void = () => {},
): Promise<void> {
  const bytes = await fs.readFile(photo.path);
  let seen = photo.areas;
  if (photo.state !== 'candidate') {
    // The check's own decode, at the size the detector looks at: JPEG shrink-on-load makes it a 1/8
    // decode of a 12 MP photo (measured in facet bench index as the check's cost).
    const analysis = (await decodePhoto(bytes, { longSide: GATE_LONG_SIDE })).image;
    const verdict = await detectTextPresence(models.detector, analysis);
    result.scanned++;
    if (!verdict.hasText) {
      library.db
        .transaction(() => {
          store.recordScan(photo.id, models.modelId, []);
          written(library.db, photo.id);
        })
        .immediate();
      return;
    }
    seen = toRelative(verdict.regions, analysis);
  }
  const { detail, reading } = await readPhotoText(bytes, models, seen);
  result.read++;
  if (reading.lines.length > 0) result.withText++;
  library.db
    .transaction(() => {
      store.saveReading(
        photo.id,
        models.modelId,
        reading.lines.map((l) => toOriginal(l, detail)),
        reading.regions,
        reading.truncated,
      );
      written(library.db, photo.id);
    })
    .immediate();
}

/**
 * The full read of a photo the check found text in: detail decode, then detection where the check saw
 * text, then recognition. `seen` is where the check saw it (kept from the index run); without it the
 * check runs again on the detail decode.
 */
export async function readPhotoText(
  bytes: Buffer,
  models: OcrModels,
  seen?: readonly RelativeRegion[] | null,
): Promise<{ detail: DecodedPhoto; reading: ReadTextResult }> {
  const detail = await decodePhoto(bytes, { longSide: TEXT_READ_LONG_SIDE });
  return { detail, reading: await readText(detail.image, models, { focus: await whereToRead(models, detail.image, seen) }) };
}

/** The areas of the detail decode to read; null, the whole photo, when the text covers much of it. */
async function whereToRead(models: OcrModels, image: RgbImage, seen?: readonly RelativeRegion[] | null): Promise<Area[] | null> {
  const regions = seen?.length ? fromRelative(seen, image) : (await detectTextPresence(models.detector, image)).regions;
  return focusAreas(regions, image.width, image.height);
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

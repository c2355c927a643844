import fs from 'node:fs/promises';
import path from 'node:path';
import { DISPLAY_COPY_LONG_SIDE, displayCopyRelativePath, needsDisplayCopy } from '../imaging/thumbnail';
import { readTextCheckImage, removeTextCheckImage, removeTextCheckImages } from '../imaging/text-check-image';
import { decodePhoto } from '../imaging/decode';
import type { DecodedPhoto, RgbImage } from '../imaging/rgb-image';
import type { Db } from '../library/database';
import type { Library } from '../library/library';
import { type PhotoNeedingText, type TextLineToStore, TextStore } from '../library/text-store';
import { INFERENCE_WORKERS } from '../ml/runtime/open-models';
import { type OcrModels, readText, type ReadLine, type ReadTextResult } from '../ml/ocr/read-text';
import { type Area, focusAreas } from '../ml/ocr/focus-areas';
import { detectTextPresence, fromRelative, type RelativeRegion, toRelative } from '../ml/ocr/text-gate';

/**
 * The full read decodes the photo at most at this long side (JPEG shrink-on-load does most of it, so a
 * 100-megapixel photo never exists in memory at full size): the detector sees half of it, the
 * recogniser cuts its lines from all of it, so small print keeps its strokes.
 */
export const TEXT_READ_LONG_SIDE = 1920;
/**
 * The full read decodes only as large as the smallest line the check saw needs to be this tall (its
 * grown box, so the letters are about two thirds of it): the height the detector finds lines at
 * reliably and the recogniser reads them at (focus-areas.ts, line-crop.ts). A sign's big letters are
 * then read from a quarter-size decode, which costs about half of the 1/2-size one (facet bench index).
 */
const READ_LINE_HEIGHT = 48;
/** JPEG's DCT shrink-on-load factors: a decode at exactly one of these sizes needs no resize after it. */
const SHRINK_FACTORS = [8, 4, 2, 1];

/**
 * Photos the text pass works on at once: one more than the inference workers, so one is decoding (on
 * libuv's threads) while the others' models run (measured on 2 cores: 3 photos 48 ms a photo, 2 photos
 * 53 ms, 4 photos 50 ms).
 */
export const TEXT_PHOTOS_IN_FLIGHT = INFERENCE_WORKERS + 1;

export interface TextPassOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Asked before each photo: false stops the pass (text reading was turned off in Settings). */
  keepGoing?: () => boolean;
  /** Photos read at once (default TEXT_PHOTOS_IN_FLIGHT). */
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
    for (let i = next++; i < pending.length && !options.signal?.aborted && (options.keepGoing?.() ?? true); i = next++) {
      try {
        await processPhoto(library, store, models, pending[i]!, result, options.onPhotoWritten);
      } catch (error) {
        if ((error as { code?: string })?.code?.startsWith('SQLITE_')) throw error;
        // Kept with its reason, so the photo is not retried for ever (MAX_TEXT_ATTEMPTS) and `facet text` says why.
        store.recordFailure(pending[i]!.id, models.modelId, (error as Error)?.message ?? String(error));
        result.failed++;
        options.onPhotoFailed?.();
      }
      done++; // not inside onProgress?.(): optional chaining would skip the increment without a listener
      options.onProgress?.(done, pending.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? TEXT_PHOTOS_IN_FLIGHT) }, worker));
  // Every waiting photo is checked: the check images left belong to photos deleted, failed or read
  // meanwhile (a killed pass, a photo removed before its turn), and no index run writes while a job runs.
  if (done === pending.length) await removeTextCheckImages(library.paths.thumbnails);
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
  let seen: SeenText | null = photo.areas ? { regions: photo.areas } : null;
  if (photo.state !== 'candidate') {
    const check = await checkPhoto(library, models, photo);
    result.scanned++;
    if (!check) {
      library.db
        .transaction(() => {
          store.recordScan(photo.id, models.modelId, []);
          written(library.db, photo.id);
        })
        .immediate();
      return;
    }
    seen = check;
  }
  const { detail, reading } = await readPhotoText(await textSource(library, photo), models, seen);
  result.read++;
  if (reading.lines.length > 0) result.withText++;
  library.db
    .transaction(() => {
      store.saveReading(
        photo.id,
        models.modelId,
        // The display copy is the upright original shrunk: its pixels scale to the original's by width.
        reading.lines.map((l) => toOriginal(l, detail.image.width / (photo.width ?? detail.originalWidth))),
        reading.regions,
        reading.truncated,
      );
      written(library.db, photo.id);
    })
    .immediate();
}

/** Where the low-resolution check saw text, and the shape of the photo it looked at (to size the full read's decode). */
export interface SeenText {
  regions: readonly RelativeRegion[];
  /** Absent for a check kept from an older run (only its regions were stored): the read then decodes at TEXT_READ_LONG_SIDE. */
  shape?: { width: number; height: number; originalLongSide: number };
}

/**
 * The check of one photo, on the check image the index run kept (text-check-image.ts) when there is
 * one, else on the photo's own decode. The check image is deleted once it is used. The original must
 * still be there, as for the full read: text is not read for a photo that is gone.
 */
async function checkPhoto(library: Library, models: OcrModels, photo: PhotoNeedingText): Promise<SeenText | null> {
  const thumbnails = library.paths.thumbnails;
  const checkImage = photo.width && photo.height ? await readTextCheckImage(thumbnails, photo.id) : null;
  if (checkImage) {
    try {
      await fs.access(photo.path);
      return await checkPhotoText(checkImage, models, readSourceLongSide(photo));
    } catch {
      // The photo is gone, or the check image unreadable: the original's own check says which. A model
      // failure is not hidden by this: it fails again there, and the photo is recorded as failed.
    } finally {
      await removeTextCheckImage(thumbnails, photo.id);
    }
  }
  return checkPhotoText(await textSource(library, photo), models);
}

/** The long side of the file the full read will decode (textSource): the original, or a HEIC's display copy. */
function readSourceLongSide(photo: PhotoNeedingText): number {
  const longSide = Math.max(photo.width ?? 0, photo.height ?? 0);
  return photo.format && needsDisplayCopy(photo.format) ? Math.min(longSide, DISPLAY_COPY_LONG_SIDE) : longSide;
}

/**
 * The low-resolution check on an analysis-size decode: the photo's own (an exact JPEG DCT shrink, 1/8
 * of a 12 MP photo: no resize after it, which a decode at the check's 448 px would need), or its check
 * image, which is that decode already (then `readLongSide` is the long side of the file the full read
 * decodes). Null when it sees no text, the common case.
 */
export async function checkPhotoText(bytes: Buffer, models: Pick<OcrModels, 'detector'>, readLongSide?: number): Promise<SeenText | null> {
  const analysis = await decodePhoto(bytes);
  const verdict = await detectTextPresence(models.detector, analysis.image);
  if (!verdict.hasText) return null;
  const { width, height } = analysis.image;
  return {
    regions: toRelative(verdict.regions, analysis.image),
    shape: { width, height, originalLongSide: readLongSide ?? Math.max(analysis.originalWidth, analysis.originalHeight) },
  };
}

/**
 * The full read of a photo the check found text in: detail decode (as large as its smallest line
 * needs), then detection where the check saw text, then recognition. `seen` is where the check saw it;
 * without it the check runs again on the detail decode.
 */
export async function readPhotoText(
  bytes: Buffer,
  models: OcrModels,
  seen?: SeenText | null,
): Promise<{ detail: DecodedPhoto; reading: ReadTextResult }> {
  const detail = await decodePhoto(bytes, { longSide: seen ? detailLongSide(seen) : TEXT_READ_LONG_SIDE });
  return { detail, reading: await readText(detail.image, models, { focus: await whereToRead(models, detail.image, seen?.regions) }) };
}

/**
 * The smallest decode in which every line the check saw is READ_LINE_HEIGHT tall, never more than
 * TEXT_READ_LONG_SIDE, rounded up to a JPEG shrink-on-load size when one is close (decoding at 1/2
 * beats decoding at 1/2 and then resizing to a bit less).
 */
export function detailLongSide(seen: SeenText): number {
  if (!seen.shape || seen.regions.length === 0) return TEXT_READ_LONG_SIDE;
  const { width, height, originalLongSide } = seen.shape;
  // Region heights are fractions of the checked image's width (toRelative).
  const smallest = Math.min(...seen.regions.map(([, , w, h]) => Math.min(w, h)));
  const need = Math.min(TEXT_READ_LONG_SIDE, ((READ_LINE_HEIGHT / Math.max(smallest, 1e-6)) * Math.max(width, height)) / width);
  const shrink = SHRINK_FACTORS.map((f) => Math.ceil(originalLongSide / f)).find((side) => side >= need);
  const side = shrink !== undefined && shrink <= TEXT_READ_LONG_SIDE * 1.1 ? shrink : Math.ceil(need);
  return Math.max(side, Math.min(Math.max(width, height), originalLongSide));
}

/** The areas of the detail decode to read; null, the whole photo, when the text covers much of it. */
async function whereToRead(models: OcrModels, image: RgbImage, seen?: readonly RelativeRegion[] | null): Promise<Area[] | null> {
  const regions = seen?.length ? fromRelative(seen, image) : (await detectTextPresence(models.detector, image)).regions;
  return focusAreas(regions, image.width, image.height);
}

/**
 * The bytes the text job decodes: the original, or for a HEIC or TIFF photo the JPEG display copy
 * indexing wrote from its one decode (upright, long side ≤ 2,560 px). A HEVC decode costs about 0.6 s
 * of CPU, some forty times the check; the copy's decode costs milliseconds and holds more pixels than
 * the full read ever uses. The original must still be there: text is not read for a photo that is gone.
 */
async function textSource(library: Library, photo: PhotoNeedingText): Promise<Buffer> {
  if (photo.format && needsDisplayCopy(photo.format) && photo.width) {
    await fs.access(photo.path); // gone: it fails as a JPEG that is gone does
    try {
      return await fs.readFile(path.join(library.paths.thumbnails, displayCopyRelativePath(photo.id)));
    } catch {
      // Indexed before display copies existed: the original it is.
    }
  }
  return fs.readFile(photo.path);
}

/** A line's rectangle from the detail decode's pixels (`scale` of the upright original's) to the original's. */
export function toOriginal(line: ReadLine, scale: number): TextLineToStore {
  const s = scale;
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

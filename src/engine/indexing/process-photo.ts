import fs from 'node:fs';
import path from 'node:path';
import { FacetError, isFacetError } from '../../common/errors';
import { decodePhoto, detailFromDisplay, HEIF_CODEC_UNSUPPORTED } from '../imaging/decode';
import {
  DISPLAY_COPY_LONG_SIDE,
  displayCopyRelativePath,
  estimateSharpness,
  needsDisplayCopy,
  thumbnailRelativePath,
  writeDisplayCopy,
  writeThumbnail,
} from '../imaging/thumbnail';
import { textCheckImagePath } from '../imaging/text-check-image';
import type { Library } from '../library/library';
import { type PhotoRow, type PhotoStore, metadataFields } from '../library/photo-store';
import { readPhotoMetadata } from '../scan/exif';
import { DECODABLE_EXTENSIONS, sniffFormat } from '../scan/formats';
import { readPhotoFile } from '../scan/read-file';
import type { FoundFile } from '../scan/walk';
import { type AnalyzerOutcome, type AnalyzerWrite, type PhotoAnalyzer, runAfterCommit } from '../analyzers/analyzer';
import { CRASH_SUSPECT_READING, isCrashSuspect } from './crash-recovery';
import { StageTimes } from './stage-times';

export type PhotoOutcome =
  | { kind: 'indexed'; faces: number; moved?: boolean }
  | { kind: 'unchanged' }
  | { kind: 'failed'; reason: string }
  | { kind: 'unsupported'; reason: string };

interface Item {
  file: FoundFile;
  folderId: number;
  existing?: PhotoRow;
}

const DECODABLE_FORMATS = new Set(Object.values(DECODABLE_EXTENSIONS));

/**
 * Everything for one file. Per-file problems (broken, unreadable, unsupported) become an outcome and the
 * run goes on; a failure of the library itself (disk full, read-only) is thrown to stop the run.
 */
export async function processPhoto(
  library: Library,
  store: PhotoStore,
  item: Item,
  analyzers: PhotoAnalyzer[],
  faceModelId: string | null,
  times: StageTimes = new StageTimes(),
): Promise<PhotoOutcome> {
  const { file } = item;
  const photoId = item.existing?.id ?? store.insertPending(item.folderId, file.path, file.size, file.mtimeMs);
  // Pending before anything is decoded: a photo that crashes the process is found in flight on the
  // next start (crash-recovery.ts). A crash suspect keeps a note saying it is being read alone.
  if (item.existing) store.markPending(photoId, file.size, file.mtimeMs, isCrashSuspect(item.existing) ? CRASH_SUSPECT_READING : null);

  if (file.kind === 'unsupported') {
    const reason = `unsupported format: ${file.format}`;
    store.setStatus(photoId, 'unsupported', reason, { size: file.size, mtimeMs: file.mtimeMs, format: file.format });
    return { kind: 'unsupported', reason };
  }

  let read;
  try {
    read = await times.time('read+hash', () => readPhotoFile(file.path));
  } catch (error) {
    return recordFailure(store, photoId, file, error);
  }
  const fields = { size: read.size, mtimeMs: read.mtimeMs, contentHash: read.contentHash };

  if (item.existing?.content_hash === read.contentHash && item.existing.thumbnail) {
    store.setStatus(photoId, 'indexed', null, { size: read.size, mtimeMs: read.mtimeMs }); // clears a crash suspect's note
    return { kind: 'unchanged' };
  }
  const moved = store.missingWithHash(read.contentHash);
  if (moved && moved.thumbnail) {
    library.db.transaction(() => store.movePhoto(moved.id, item.folderId, file.path, read.size, read.mtimeMs, photoId)).immediate();
    return { kind: 'indexed', faces: 0, moved: true };
  }

  const sniffed = sniffFormat(read.bytes.subarray(0, 32));
  if (sniffed && !DECODABLE_FORMATS.has(sniffed)) {
    const reason = `unsupported format: ${sniffed}`;
    store.setStatus(photoId, 'unsupported', reason, { ...fields, format: sniffed });
    return { kind: 'unsupported', reason };
  }
  if (!sniffed) {
    return recordFailure(
      store,
      photoId,
      file,
      new FacetError('unsupported', `the content is not an image (the name says ${file.format}, the bytes match no image format)`),
      fields,
    );
  }

  let decoded;
  let metadata;
  try {
    const decodeOptions = needsDisplayCopy(sniffed) ? { displayLongSide: DISPLAY_COPY_LONG_SIDE } : {};
    [decoded, metadata] = await Promise.all([
      times.time('decode', () => decodePhoto(read.bytes, decodeOptions)),
      times.time('exif', () => readPhotoMetadata(read.bytes)),
    ]);
  } catch (error) {
    // A HEIF coded with something neither libvips nor libheif-js decodes is a format gap, not a broken file.
    if (sniffed === 'HEIC' && isFacetError(error) && error.message === HEIF_CODEC_UNSUPPORTED) {
      store.setStatus(photoId, 'unsupported', `unsupported format: HEIC (${error.message})`, { ...fields, format: sniffed });
      return { kind: 'unsupported', reason: `unsupported format: HEIC (${error.message})` };
    }
    return recordFailure(store, photoId, file, error, fields);
  }

  let writes: AnalyzerWrite[];
  let thumbnail: string;
  try {
    [writes, thumbnail] = await Promise.all([
      Promise.all(
        analyzers.map((a) =>
          times.time(a.name, () =>
            a.analyze({
              photoId,
              decoded,
              // A HEIC is decoded once: its detail images come from the display copy's pixels.
              decodeDetail: async (longSide) => (await detailFromDisplay(decoded, longSide)) ?? decodePhoto(read.bytes, { longSide }),
            }),
          ),
        ),
      ),
      times.time('thumbnail', async () => {
        const written = await writeThumbnail(decoded.image, library.paths.thumbnails, photoId);
        if (decoded.display) await writeDisplayCopy(decoded.display, library.paths.thumbnails, photoId);
        return written;
      }),
    ]);
  } catch (error) {
    removeImageFiles(library, photoId); // one of them may have been written before the other failed
    if (isLibraryFailure(error) || isInside(library.paths.root, (error as { path?: string })?.path)) throw error;
    return recordFailure(store, photoId, file, error, fields);
  }

  let faces = 0;
  const outcomes: (AnalyzerOutcome | void)[] = [];
  try {
    const commitStart = performance.now();
    // IMMEDIATE: a deferred transaction that reads before writing fails at once with SQLITE_BUSY if the
    // app committed an edit in between; busy_timeout only waits for a transaction that asks to write first.
    library.db
      .transaction(() => {
        for (const write of writes) outcomes.push(write(library.db));
        faces = outcomes.reduce((sum, outcome) => sum + (outcome?.faces ?? 0), 0);
        store.saveIndexed(photoId, {
          ...fields,
          format: sniffed,
          width: decoded.originalWidth,
          height: decoded.originalHeight,
          ...metadataFields(metadata),
          sharpness: estimateSharpness(decoded.image),
          thumbnail,
          faceModelId,
        });
      })
      .immediate();
    times.add('commit', performance.now() - commitStart);
  } catch (error) {
    removeImageFiles(library, photoId);
    throw error;
  }
  runAfterCommit(outcomes);
  return { kind: 'indexed', faces };
}

/** The thumbnail, display copy and text check image of a photo that did not get indexed: all or nothing. */
function removeImageFiles(library: Library, photoId: number): void {
  const thumbnails = library.paths.thumbnails;
  for (const file of [
    path.join(thumbnails, thumbnailRelativePath(photoId)),
    path.join(thumbnails, displayCopyRelativePath(photoId)),
    textCheckImagePath(thumbnails, photoId),
  ])
    fs.rmSync(file, { force: true });
}

function recordFailure(
  store: PhotoStore,
  photoId: number,
  file: FoundFile,
  error: unknown,
  fields?: { size: number; mtimeMs: number; contentHash?: string },
): PhotoOutcome {
  if (isLibraryFailure(error)) throw error;
  const reason = isFacetError(error) ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
  store.setStatus(photoId, 'failed', reason, fields ?? { size: file.size, mtimeMs: file.mtimeMs });
  return { kind: 'failed', reason };
}

function isInside(root: string, file: string | undefined): boolean {
  return !!file && path.resolve(file).startsWith(path.resolve(root) + path.sep);
}

/** Errors that mean the library cannot be written, as opposed to one bad photo. */
function isLibraryFailure(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  return code.startsWith('SQLITE_') || code === 'ENOSPC' || code === 'EROFS' || code === 'EDQUOT';
}

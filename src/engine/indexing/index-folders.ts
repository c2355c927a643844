import fs from 'node:fs';
import path from 'node:path';
import type { IndexProgress, IndexSummary } from '../../common/api/library';
import { FacetError } from '../../common/errors';
import { removePartialThumbnails } from '../imaging/thumbnail';
import type { Library } from '../library/library';
import { PhotoStore, type PhotoRow } from '../library/photo-store';
import { type FoundFile, type WalkProblem, walkFolder } from '../scan/walk';
import type { PhotoAnalyzer } from '../analyzers/analyzer';
import { isCrashSuspect } from './crash-recovery';
import { PauseGate } from './pause-gate';
import { type PhotoOutcome, processPhoto } from './process-photo';
import { ProgressTracker } from './progress';
import type { StageTimes } from './stage-times';

export interface IndexRunOptions {
  library: Library;
  folders: string[];
  analyzers: PhotoAnalyzer[];
  faceModelId: string | null;
  /** Photos in flight at once: decoding of the next overlaps inference of the previous. */
  concurrency?: number;
  onProgress?: (progress: IndexProgress) => void;
  gate?: PauseGate;
  signal?: AbortSignal;
  /** Per-stage timings, for `facet bench index`. */
  stageTimes?: StageTimes;
  /** The caller (the job runner) already holds the library's writer lock for the whole job. */
  lockHeld?: boolean;
}

export interface FileProblem {
  path: string;
  reason: string;
}

export interface IndexRunResult extends IndexSummary {
  failures: FileProblem[];
  problems: WalkProblem[];
  offlineFolders: string[];
}

/** A run that analysed nothing: where a run starts counting, and what a process reports when another ran the job. */
export function emptyIndexRunResult(): IndexRunResult {
  return {
    indexed: 0,
    unchanged: 0,
    failed: 0,
    unsupported: 0,
    missing: 0,
    faces: 0,
    seconds: 0,
    failures: [],
    problems: [],
    offlineFolders: [],
  };
}

/**
 * Photos in flight by default. Measured on 2 cores with 12 MP JPEGs: 2 → 10.3, 3 → 11.7-20.5,
 * 4 → 23.3 photos/s; one photo's decode, inference and I/O wait on different pools, so more photos
 * in flight than cores keeps both cores busy.
 */
export const DEFAULT_CONCURRENCY = 4;

interface WorkItem {
  file: FoundFile;
  folderId: number;
  existing?: PhotoRow;
}

/** What a run does for one file whose size and mtime are already known to the library. */
function isUnchanged(existing: PhotoRow | undefined, file: FoundFile): boolean {
  return (
    !!existing &&
    existing.size === file.size &&
    existing.mtime_ms === file.mtimeMs &&
    ['indexed', 'failed', 'unsupported'].includes(existing.status)
  );
}

/**
 * One index run over some folders: walk, mark what vanished, analyse what is new or changed, one
 * transaction per photo. Unchanged files (same size and mtime) are not read at all.
 */
export async function indexFolders(options: IndexRunOptions): Promise<IndexRunResult> {
  const lock = options.lockHeld ? null : await options.library.acquireWriterLock();
  try {
    await removePartialThumbnails(options.library.paths.thumbnails);
    return await indexWhileLocked(options);
  } finally {
    lock?.release();
  }
}

async function indexWhileLocked(options: IndexRunOptions): Promise<IndexRunResult> {
  const started = performance.now();
  const { library } = options;
  const store = new PhotoStore(library.db);
  const tracker = new ProgressTracker(options.onProgress);
  const gate = options.gate ?? new PauseGate();
  const result = emptyIndexRunResult();
  const work: WorkItem[] = [];
  const scanned: { root: string; folderId: number }[] = [];

  tracker.start('scanning', 0);
  for (const folder of options.folders) {
    const root = path.resolve(folder);
    const folderId = store.ensureFolder(root);
    if (!isReachableFolder(root)) {
      store.markFolderOffline(folderId);
      result.offlineFolders.push(root);
      result.problems.push({
        path: root,
        reason: 'folder not found (removed, renamed, or on a disconnected drive); its photos are kept and marked offline',
      });
      continue;
    }
    store.setFolderStatus(folderId, 'online');
    const walk = await walkFolder(root);
    result.problems.push(...walk.problems);
    if (!isReachableFolder(root)) {
      // The drive went away during the walk: what we did not see is not "deleted".
      store.markFolderOffline(folderId);
      result.offlineFolders.push(root);
      continue;
    }
    scanned.push({ root, folderId });
    result.missing += markVanished(library, store, folderId, root, walk.files, walk.problems);
    for (const file of walk.files) {
      const existing = store.byPath(file.path);
      if (isUnchanged(existing, file)) {
        result.unchanged++;
        continue;
      }
      if (
        existing &&
        (existing.status === 'offline' || existing.status === 'missing') &&
        existing.size === file.size &&
        existing.mtime_ms === file.mtimeMs &&
        existing.content_hash
      ) {
        store.touch(existing.id, file.size, file.mtimeMs, existing.thumbnail ? 'indexed' : 'failed');
        result.unchanged++;
        continue;
      }
      work.push({ file, folderId, existing });
    }
  }

  tracker.start('indexing', work.length, result.unchanged);
  let fatal: unknown;
  const drain = async (items: WorkItem[], concurrency: number) => {
    let next = 0;
    const worker = async () => {
      while (next < items.length && fatal === undefined && !options.signal?.aborted) {
        await gate.wait();
        // Claim the item after the wait: another worker may have taken the last one meanwhile.
        const item = items[next++];
        if (!item) return;
        let outcome: PhotoOutcome;
        try {
          outcome = await processPhoto(library, store, item, options.analyzers, options.faceModelId, options.stageTimes);
        } catch (error) {
          fatal = error; // the library itself failed (disk full, read-only): stop, nothing half-written
          return;
        }
        tally(result, outcome, item.file.path);
        tracker.photoDone(item.file.path, outcome.kind === 'failed');
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  // Photos that were in flight when the worker crashed go first and alone, so that if one of them
  // crashes it again it is the only photo in flight and is set aside (crash-recovery.ts).
  await drain(
    work.filter((item) => isCrashSuspect(item.existing)),
    1,
  );
  await drain(
    work.filter((item) => !isCrashSuspect(item.existing)),
    Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY),
  );
  if (fatal !== undefined) throw fatal;
  for (const { root, folderId } of scanned) {
    if (isReachableFolder(root)) continue;
    // The drive went away during the run: the photos it could not read are offline, not "failed"
    // (a failed file of unchanged size and mtime is never read again, so they would stay failed).
    store.markFolderOffline(folderId);
    result.offlineFolders.push(root);
  }
  if (options.signal?.aborted) throw new FacetError('cancelled', 'Indexing was cancelled; the next run resumes where it stopped.');
  tracker.setPhase('done');
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

function isReachableFolder(root: string): boolean {
  try {
    return fs.statSync(root).isDirectory();
  } catch {
    return false;
  }
}

/** Photos of this folder that the walk did not find are "missing" (never deleted: a move may bring them back). */
function markVanished(
  library: Library,
  store: PhotoStore,
  folderId: number,
  root: string,
  files: FoundFile[],
  problems: WalkProblem[],
): number {
  const seen = new Set(files.map((f) => f.path));
  const unreadable = problems.map((p) => p.path + path.sep);
  const vanished = store
    .photosInFolder(folderId)
    .filter(
      (p) =>
        p.status !== 'missing' && !seen.has(p.path) && p.path.startsWith(root + path.sep) && !unreadable.some((u) => p.path.startsWith(u)),
    )
    .map((p) => p.id);
  library.db.transaction(() => store.markMissing(vanished)).immediate();
  return vanished.length;
}

function tally(result: IndexRunResult, outcome: PhotoOutcome, file: string): void {
  switch (outcome.kind) {
    case 'indexed':
      result.indexed++;
      result.faces += outcome.faces;
      break;
    case 'unchanged':
      result.unchanged++;
      break;
    case 'unsupported':
      result.unsupported++;
      result.failures.push({ path: file, reason: outcome.reason });
      break;
    case 'failed':
      result.failed++;
      result.failures.push({ path: file, reason: outcome.reason });
      break;
  }
}

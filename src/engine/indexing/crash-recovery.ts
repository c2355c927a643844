import type { Library } from '../library/library';
import { PhotoStore, type PhotoRow } from '../library/photo-store';
import type { WriterLock } from '../library/writer-lock';

/** The reason shown for a photo that took the worker down with it. */
export const CRASHED_DECODER = 'crashed the decoder (Facet will not read it again until the file changes)';
/** The note on photos that were in flight when the worker stopped uncleanly: read again on their own. */
export const CRASH_SUSPECT = 'was being read when the worker crashed; read again on its own';
/** The note on a suspect while it is being read alone: if the worker dies now, this photo did it. */
export const CRASH_SUSPECT_READING = 'is being read on its own after a crash';

export interface CrashRecovery {
  /** Marked failed: a suspect that was in flight alone when the worker died again. */
  failed: string[];
  /** In flight at an unclean exit: each is read again alone before the rest, so a second crash names one. */
  suspects: string[];
}

/**
 * Run at the start of a worker whose previous run ended without shutting down. That is a native
 * decoder crash, but just as often a force-quit, an OOM kill or a power cut, so a photo is never
 * condemned on one unclean exit: photos are marked pending before they are decoded, and the ones
 * found in flight become suspects that the next run reads one at a time (`isCrashSuspect`). Only a
 * suspect that was in flight alone when the worker died *again* is marked failed, so a good photo
 * needs two unclean exits while it alone was being read to be set aside.
 */
export function recoverAfterCrash(library: Library): CrashRecovery {
  const store = new PhotoStore(library.db);
  const inFlight = store.inFlight(CRASH_SUSPECT_READING);
  if (inFlight.length === 1 && inFlight[0]!.error === CRASH_SUSPECT_READING) {
    const [photo] = inFlight as [PhotoRow];
    store.setStatus(photo.id, 'failed', CRASHED_DECODER, { size: photo.size, mtimeMs: photo.mtime_ms });
    return { failed: [photo.path], suspects: [] };
  }
  store.notePending(
    inFlight.map((p) => p.id),
    CRASH_SUSPECT,
  );
  return { failed: [], suspects: inFlight.map((p) => p.path) };
}

/**
 * `recoverAfterCrash` under the library's writer lock. Another live process that holds it (a CLI
 * `facet index` on the same library) has photos pending because it is reading them right now, not
 * because anything crashed, so while it holds the lock the recovery is skipped (null): its photos are
 * its own, and the crashed worker's in-flight photos are simply read again by whoever runs next.
 */
export async function recoverAfterCrashLocked(library: Library): Promise<CrashRecovery | null> {
  let lock: WriterLock;
  try {
    lock = await library.acquireWriterLock(0);
  } catch (error) {
    if ((error as { code?: string }).code === 'library_busy') return null;
    throw error;
  }
  try {
    return recoverAfterCrash(library);
  } finally {
    lock.release();
  }
}

export function isCrashSuspect(photo: PhotoRow | undefined): boolean {
  return photo?.status === 'pending' && (photo.error === CRASH_SUSPECT || photo.error === CRASH_SUSPECT_READING);
}

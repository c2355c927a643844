import type { Library } from '../library/library';
import { PhotoStore, type PhotoRow } from '../library/photo-store';

/** The reason shown for a photo that took the worker down with it. */
export const CRASHED_DECODER = 'crashed the decoder (Facet will not read it again until the file changes)';
/** The note on photos that were in flight together when the worker crashed: one of them did it. */
export const CRASH_SUSPECT = 'was being read when the worker crashed; read again on its own';

export interface CrashRecovery {
  /** Marked failed: the one photo in flight when the worker crashed. */
  failed: string[];
  /** Several were in flight: each is read again alone before the rest, so the next crash names one. */
  suspects: string[];
}

/**
 * Run at the start of a worker whose previous run ended without shutting down (a native decoder
 * crash, a kill). Photos are marked pending before they are decoded, so the pending ones are those in
 * flight. With one in flight it is the culprit and is marked failed, so it cannot crash the worker
 * again. With several (indexing reads a few at once) they become suspects that the next run reads one
 * at a time (`isCrashSuspect`), so a second crash finds exactly one in flight.
 */
export function recoverAfterCrash(library: Library): CrashRecovery {
  const store = new PhotoStore(library.db);
  const inFlight = store.inFlight();
  if (inFlight.length === 1) {
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

export function isCrashSuspect(photo: PhotoRow | undefined): boolean {
  return photo?.status === 'pending' && photo.error === CRASH_SUSPECT;
}

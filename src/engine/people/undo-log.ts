import type { Db } from '../library/database';
import { appendUndo, deleteUndo, lastUndo, restorePeople, snapshotPeople } from '../library/people-undo-store';
import { setSetting } from '../library/settings-store';
import { SUGGESTIONS_STALE_KEY } from './suggestions-stale';

/** Oldest entries beyond this are dropped: undo is for recent mistakes, not an audit log. */
const MAX_ENTRIES = 500;

/**
 * Runs an edit in one transaction, first saving the before-image of every row it may touch: the
 * people in scope, all faces assigned or suggested to them plus the faces in scope, and their
 * rejections. Undo restores exactly those rows, whatever the edit did. Returns the edit's result and
 * the undo entry id.
 */
export function recordEdit<T>(
  db: Db,
  operation: string,
  summary: (result: T) => string,
  scope: { personIds: number[]; faceIds: number[] },
  edit: () => T,
): { result: T; undoId: number } {
  // IMMEDIATE: a deferred transaction that reads first fails at once (SQLITE_BUSY, "database is locked")
  // when the worker commits a photo in between; asking for the write lock first waits busy_timeout instead.
  return db
    .transaction(() => {
      const snapshot = snapshotPeople(db, scope);
      const result = edit();
      const undoId = appendUndo(db, operation, summary(result), snapshot, MAX_ENTRIES);
      markSuggestionsStale(db);
      return { result, undoId };
    })
    .immediate();
}

/** Reverses the most recent edit; returns its summary, or null when there is nothing to undo. */
export function undoLastEdit(db: Db): string | null {
  return db
    .transaction(() => {
      const entry = lastUndo(db);
      if (!entry) return null;
      restorePeople(db, entry.snapshot);
      deleteUndo(db, entry.id);
      markSuggestionsStale(db);
      return entry.summary;
    })
    .immediate();
}

function markSuggestionsStale(db: Db): void {
  setSetting(db, SUGGESTIONS_STALE_KEY, '1');
}

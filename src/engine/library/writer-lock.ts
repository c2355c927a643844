import path from 'node:path';
import Database from 'better-sqlite3';
import { FacetError } from '../../common/errors';

export const WRITER_LOCK_FILE = 'writer.lock';

export interface WriterLockOptions {
  /** How long to wait for another process's run to finish before "library is busy". */
  waitMs: number;
  nativeBinding?: string;
}

/**
 * One indexing process per library. Two overlapping runs both insert rows for the same new files and
 * one of them died on a UNIQUE constraint; SQLite's busy timeout only serialises single transactions,
 * not whole runs. The lock is an EXCLUSIVE transaction on a tiny side database: the operating system
 * releases it when the holder dies (even by SIGKILL), so there is never a stale lock to clean up, and it
 * works the same on Windows, macOS and Linux. Readers and short edits (naming people) do not take it.
 */
export class WriterLock {
  private constructor(private readonly db: Database.Database) {}

  static async acquire(libraryRoot: string, options: WriterLockOptions): Promise<WriterLock> {
    const db = new Database(
      path.join(libraryRoot, WRITER_LOCK_FILE),
      options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
    );
    const deadline = Date.now() + options.waitMs;
    try {
      db.pragma('busy_timeout = 0'); // we poll below so the event loop keeps running while we wait
      for (;;) {
        try {
          db.exec('BEGIN EXCLUSIVE');
          return new WriterLock(db);
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        throw new FacetError(
          'library_busy',
          `The library is busy: another Facet process is indexing it (waited ${(options.waitMs / 1000).toFixed(1)} s). Try again when it has finished.`,
        );
      }
      throw error;
    }
  }

  release(): void {
    if (this.db.open) this.db.close(); // closing ends the transaction and drops the OS lock
  }
}

import type { Migration } from './migration';

/**
 * The persistent job queue (src/engine/jobs). `job_photos` records, in the same transaction as the
 * photo's own write, each photo a job finished: a job resumed after a kill never redoes one, and a plain
 * INSERT (no OR IGNORE) makes doing one twice an error instead of a silent double.
 */
export const migration012Jobs: Migration = {
  version: 12,
  name: 'jobs',
  up: (db) => {
    db.exec(`
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'paused', 'done', 'failed', 'cancelled')),
        done INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        total INTEGER,
        error TEXT,
        not_before INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER
      );
      CREATE INDEX jobs_by_state ON jobs (state, id);
      CREATE TABLE job_photos (
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        photo_id INTEGER NOT NULL,
        PRIMARY KEY (job_id, photo_id)
      ) WITHOUT ROWID;
    `);
  },
};

import type { JobKind, JobState } from '../../common/api/jobs';
import type { Db } from './database';

export interface JobRow {
  id: number;
  kind: JobKind;
  params: string;
  state: JobState;
  done: number;
  failed: number;
  total: number | null;
  error: string | null;
  not_before: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const UNFINISHED = "('queued', 'running', 'paused')";

/** All SQL of the job queue (tables from migration 006). */
export class JobStore {
  constructor(private readonly db: Db) {}

  /**
   * Adds a job, or returns the unfinished one of the same kind and params (two "index ~/Pictures" are
   * one job). `notBefore` (ms since epoch) delays it; re-enqueueing a waiting job pushes it back, which
   * is how edits in a row become one re-suggest.
   */
  enqueue(kind: JobKind, params: object, notBefore = 0): JobRow {
    const json = JSON.stringify(params);
    return this.db
      .transaction(() => {
        const existing = this.db
          .prepare(`SELECT * FROM jobs WHERE kind = ? AND params = ? AND state IN ${UNFINISHED} ORDER BY id LIMIT 1`)
          .get(kind, json) as JobRow | undefined;
        if (existing) {
          if (existing.state === 'queued' && notBefore > existing.not_before)
            this.db.prepare('UPDATE jobs SET not_before = ? WHERE id = ?').run(notBefore, existing.id);
          return this.get(existing.id)!;
        }
        const id = this.db
          .prepare('INSERT INTO jobs (kind, params, not_before, created_at) VALUES (?, ?, ?, ?)')
          .run(kind, json, notBefore, Date.now()).lastInsertRowid;
        return this.get(Number(id))!;
      })
      .immediate();
  }

  get(id: number): JobRow | undefined {
    return this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  }

  /** Unfinished jobs first (in queue order), then the latest finished ones. */
  list(limit: number): JobRow[] {
    const open = this.db.prepare(`SELECT * FROM jobs WHERE state IN ${UNFINISHED} ORDER BY id`).all() as JobRow[];
    const closed = this.db.prepare(`SELECT * FROM jobs WHERE state NOT IN ${UNFINISHED} ORDER BY id DESC LIMIT ?`).all(limit) as JobRow[];
    return [...open, ...closed].slice(0, Math.max(limit, open.length));
  }

  /**
   * The next job to run. A job left 'running' is one whose process died (the caller holds the writer
   * lock, which the OS frees when its holder dies), so it comes first and resumes.
   */
  next(now: number, kinds?: readonly string[], ignoreDelay = false): JobRow | undefined {
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE state IN ('running', 'queued') AND (? OR not_before <= ?) ORDER BY state = 'running' DESC, id`)
      .all(ignoreDelay ? 1 : 0, now) as JobRow[];
    return rows.find((r) => !kinds || kinds.includes(r.kind));
  }

  /** When the earliest delayed job becomes due, for a runner deciding how long to sleep. */
  nextDue(): number | null {
    return (this.db.prepare("SELECT min(not_before) AS t FROM jobs WHERE state = 'queued'").get() as { t: number | null }).t;
  }

  hasUnfinished(): boolean {
    return this.db.prepare(`SELECT 1 FROM jobs WHERE state IN ('queued', 'running') LIMIT 1`).get() !== undefined;
  }

  markRunning(id: number): void {
    this.db
      .prepare("UPDATE jobs SET state = 'running', error = NULL, started_at = coalesce(started_at, ?) WHERE id = ?")
      .run(Date.now(), id);
  }

  finish(id: number, state: 'done' | 'failed' | 'cancelled', error: string | null = null): void {
    this.db.prepare('UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?').run(state, error, Date.now(), id);
  }

  /** Pause, resume or cancel as the user asked; a finished job keeps its state. Returns whether it changed. */
  setState(id: number, from: readonly JobState[], to: JobState): boolean {
    const placeholders = from.map(() => '?').join(', ');
    const changed = this.db
      .prepare(
        `UPDATE jobs SET state = ?, finished_at = CASE WHEN ? = 'cancelled' THEN ? ELSE finished_at END WHERE id = ? AND state IN (${placeholders})`,
      )
      .run(to, to, Date.now(), id, ...from).changes;
    return changed > 0;
  }

  stateOf(id: number): JobState | undefined {
    return (this.db.prepare('SELECT state FROM jobs WHERE id = ?').get(id) as { state: JobState } | undefined)?.state;
  }

  setTotal(id: number, total: number): void {
    this.db.prepare('UPDATE jobs SET total = ? WHERE id = ?').run(total, id);
  }

  /**
   * Records one finished photo; call inside the photo's own transaction. The plain INSERT throws on a
   * photo this job already did, so a double can never pass unnoticed.
   */
  photoDone(id: number, photoId: number): void {
    this.db.prepare('INSERT INTO job_photos (job_id, photo_id) VALUES (?, ?)').run(id, photoId);
    this.db.prepare('UPDATE jobs SET done = done + 1 WHERE id = ?').run(id);
  }

  photoFailed(id: number): void {
    this.db.prepare('UPDATE jobs SET failed = failed + 1 WHERE id = ?').run(id);
  }

  /** Photos this job finished, for a resumed job to skip. */
  donePhotos(id: number): Set<number> {
    return new Set(this.db.prepare('SELECT photo_id FROM job_photos WHERE job_id = ?').pluck().all(id) as number[]);
  }
}

import type { JobInfo, JobKind } from '../../common/api/jobs';
import { FacetError, isFacetError } from '../../common/errors';
import type { EngineContext, JobQueue } from '../context';
import { type JobRow, JobStore } from '../library/job-store';
import type { WriterLock } from '../library/writer-lock';
import type { JobControl, JobKindHandlers } from './job-kind';
import { RateWindow } from './rate-window';

/** How often a running job looks at its row for a pause or cancel from another process. */
const STATE_POLL_MS = 250;
/** How often an idle background runner looks for new jobs (another process may have queued them). */
const IDLE_POLL_MS = 1000;
/** How long one attempt waits for the writer lock before the runner tries again later. */
const LOCK_ATTEMPT_MS = 200;

export interface RunUntilIdleOptions {
  /** Only these kinds (a CLI people edit runs its re-suggest, not someone's index job). */
  kinds?: readonly JobKind[];
  /** Run delayed (debounced) jobs now: the CLI has no later. */
  ignoreDelay?: boolean;
  /** Stop when this job is finished (by this process or another). */
  until?: number;
}

/**
 * Runs the library's persistent jobs one at a time, each under the writer lock, so exactly one process
 * writes derived data (vectors, faces, the neighbour graph) at any moment. The app's worker calls
 * `start()` (a background loop); the CLI calls `runUntilIdle()` in the foreground.
 */
export class JobRunner implements JobQueue {
  readonly store: JobStore;
  private current: { id: number; rate: RateWindow } | null = null;
  private loop: Promise<void> | null = null;
  private stopping = new AbortController();
  private wake: (() => void) | null = null;
  /** Errors of jobs this process ran, kept whole for a foreground caller (the row keeps the message). */
  private readonly errors = new Map<number, unknown>();
  /** What jobs this process ran returned, for a foreground caller (see runHere). */
  private readonly results = new Map<number, unknown>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly handlers: JobKindHandlers,
  ) {
    this.store = new JobStore(ctx.library.db);
  }

  enqueue(kind: JobKind, params: object = {}, options: { delayMs?: number } = {}): JobInfo {
    const row = this.store.enqueue(kind, params, options.delayMs ? Date.now() + options.delayMs : 0);
    this.changed();
    this.wake?.();
    return this.view(row);
  }

  list(limit = 50): JobInfo[] {
    return this.store.list(limit).map((row) => this.view(row));
  }

  get(id: number): JobInfo {
    const row = this.store.get(id);
    if (!row) throw new FacetError('not_found', `No job ${id}.`);
    return this.view(row);
  }

  pause(id: number): JobInfo {
    return this.transition(id, ['queued', 'running'], 'paused', 'paused');
  }

  resume(id: number): JobInfo {
    const info = this.transition(id, ['paused'], 'queued', 'queued');
    this.wake?.();
    return info;
  }

  cancel(id: number): JobInfo {
    return this.transition(id, ['queued', 'running', 'paused'], 'cancelled', 'cancelled');
  }

  /** The app's worker: runs jobs as they come until `stop()`. */
  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = (async () => {
      while (!this.stopping.signal.aborted) {
        const ran = await this.runNext({}).catch((error: unknown) => {
          this.ctx.emit('jobs.changed', { reason: 'error', message: (error as Error)?.message ?? String(error) });
          return false;
        });
        if (ran) continue;
        if (this.stopping.signal.aborted) break; // Engine.close() may already have closed the library
        const due = this.store.nextDue();
        const wait = due !== null && due > Date.now() ? Math.min(IDLE_POLL_MS, due - Date.now()) : IDLE_POLL_MS;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wake = () => (clearTimeout(timer), resolve());
        });
        this.wake = null;
      }
    })();
  }

  /** Stops after the photo in hand; the interrupted job stays queued and resumes at the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  hasWaiting(kinds?: readonly JobKind[]): boolean {
    return this.store.next(Number.MAX_SAFE_INTEGER, kinds) !== undefined;
  }

  get started(): boolean {
    return this.loop !== null;
  }

  /**
   * The CLI: runs queued jobs in this process until none is left. With `until`, it waits for the
   * writer lock as long as any writer would (then "library is busy"), and returns once that job is
   * finished, by this process or another; without, a busy library means another process is on it.
   */
  async runUntilIdle(options: RunUntilIdleOptions = {}): Promise<void> {
    for (;;) {
      if (options.until !== undefined && !['queued', 'running'].includes(this.store.stateOf(options.until) ?? 'done')) return;
      const ran = await this.runNext(options, options.until !== undefined);
      if (!ran) return;
    }
  }

  /**
   * The CLI's foreground: runs this job here (only jobs of its kind, so a queued backfill does not hold
   * up `facet tags --add`), or waits while another process finishes it. Returns what the job returned
   * when it ran here, undefined when another process ran it. A failed or cancelled job throws.
   */
  async runHere(id: number): Promise<unknown> {
    const kind = this.get(id).kind;
    await this.runUntilIdle({ until: id, kinds: [kind], ignoreDelay: true });
    const finished = this.get(id);
    if (finished.state === 'failed') throw this.errorOf(id) ?? new FacetError('internal', finished.error ?? `The ${kind} job failed.`);
    if (finished.state === 'cancelled') throw new FacetError('cancelled', `The ${kind} job was cancelled.`);
    if (finished.state === 'paused') throw new FacetError('cancelled', `The ${kind} job was paused; \`facet jobs resume ${id}\` goes on.`);
    return this.results.get(id);
  }

  /** The error a job run by this process failed with, as thrown (for the CLI's exit code and message). */
  errorOf(id: number): unknown {
    return this.errors.get(id);
  }

  /** Takes the writer lock, then the next job; false when there was none (or the lock is busy). */
  private async runNext(options: RunUntilIdleOptions, waitForLock = false): Promise<boolean> {
    if (!this.store.next(Date.now(), options.kinds, options.ignoreDelay)) return false;
    let lock: WriterLock;
    try {
      lock = await this.ctx.library.acquireWriterLock(waitForLock ? undefined : LOCK_ATTEMPT_MS);
    } catch (error) {
      if (!waitForLock && isFacetError(error) && error.code === 'library_busy') return false; // another process runs a job
      throw error;
    }
    try {
      const job = this.store.next(Date.now(), options.kinds, options.ignoreDelay);
      if (!job) return false;
      await this.run(job);
      return true;
    } finally {
      lock.release();
    }
  }

  private async run(job: JobRow): Promise<void> {
    const handler = this.handlers[job.kind];
    const abort = new AbortController();
    const onStop = () => abort.abort();
    this.stopping.signal.addEventListener('abort', onStop);
    const poll = setInterval(() => {
      if (this.libraryClosed || this.store.stateOf(job.id) !== 'running') abort.abort();
    }, STATE_POLL_MS);
    this.store.markRunning(job.id);
    this.current = { id: job.id, rate: new RateWindow() };
    this.changed();
    const control = this.control(job, abort.signal);
    try {
      if (!handler) throw new FacetError('unsupported', `This version of Facet cannot run "${job.kind}" jobs.`);
      const params = handler.params.parse(JSON.parse(job.params));
      this.results.set(job.id, await handler.run(this.ctx, params, control)); // the writer lock is held for the whole job
      if (this.store.stateOf(job.id) === 'running') this.store.finish(job.id, 'done');
    } catch (error) {
      // Engine.close() stops the runner without waiting and closes the library: the job row cannot be
      // written any more, and stays 'running', which the next start resumes as an interrupted job.
      if (this.libraryClosed) return;
      const state = this.store.stateOf(job.id);
      if (state === 'running' && this.stopping.signal.aborted) this.store.setState(job.id, ['running'], 'queued');
      else if (state === 'running') {
        this.errors.set(job.id, error);
        this.store.finish(
          job.id,
          'failed',
          isFacetError(error) ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`,
        );
      }
      // paused or cancelled meanwhile: the user's choice stands
    } finally {
      clearInterval(poll);
      this.stopping.signal.removeEventListener('abort', onStop);
      this.current = null;
      this.changed();
    }
  }

  private control(job: JobRow, signal: AbortSignal): JobControl {
    const donePhotos = this.store.donePhotos(job.id);
    const rate = this.current!.rate;
    let lastEmit = 0;
    return {
      job,
      signal,
      donePhotos,
      setTotal: (total) => {
        this.store.setTotal(job.id, total);
        this.changed();
      },
      photoDone: (_db, photoId) => {
        this.store.photoDone(job.id, photoId);
        rate.tick();
        // At most a few events a second: a fast backfill would otherwise flood the app's IPC.
        if (performance.now() - lastEmit > 250) {
          lastEmit = performance.now();
          queueMicrotask(() => this.changed());
        }
      },
      photoFailed: () => this.store.photoFailed(job.id),
      checkpoint: () => {
        if (signal.aborted) throw new FacetError('cancelled', 'The job was paused or cancelled.');
      },
    };
  }

  private transition(id: number, from: JobRow['state'][], to: JobRow['state'], verb: string): JobInfo {
    const row = this.store.get(id);
    if (!row) throw new FacetError('not_found', `No job ${id}.`);
    if (!this.store.setState(id, from, to)) throw new FacetError('conflict', `Job ${id} is ${row.state}; it cannot be ${verb}.`);
    this.changed();
    return this.get(id);
  }

  private get libraryClosed(): boolean {
    return !this.ctx.library.db.open;
  }

  private changed(): void {
    this.ctx.emit('jobs.changed', { reason: 'progress' });
  }

  private view(row: JobRow): JobInfo {
    const handler = this.handlers[row.kind];
    let params: Record<string, unknown> = {};
    try {
      params = JSON.parse(row.params) as Record<string, unknown>;
    } catch {
      // shown without params; running it reports the problem
    }
    const running = this.current?.id === row.id ? this.current : null;
    const rate = running?.rate.rate ?? null;
    const left = row.total !== null ? Math.max(0, row.total - row.done - row.failed) : null;
    let subject = row.kind as string;
    try {
      subject = handler ? handler.subject(handler.params.parse(params)) : row.kind;
    } catch {
      // an unreadable params row keeps the kind as its subject
    }
    return {
      id: row.id,
      kind: row.kind,
      subject,
      params,
      state: row.state,
      done: row.done,
      failed: row.failed,
      total: row.total,
      rate,
      etaSeconds: rate && left !== null ? left / rate : null,
      error: row.error,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    };
  }
}

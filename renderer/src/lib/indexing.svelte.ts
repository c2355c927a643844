import type { FileInfo, IndexProgress } from '../../../src/common/api';
import type { JobInfo } from '../../../src/common/api/jobs';
import { IDLE_INDEX_PROGRESS } from '../../../src/common/api/library';
import { type ApiCallError, call, on } from './api';
import { ErrorState } from './error-state.svelte';
import { showError } from './errors.svelte';

/** Indexing progress pushed by the engine (`index.progress` events), plus the failed files and controls. */
class IndexingManager extends ErrorState {
  progress = $state<IndexProgress>({ ...IDLE_INDEX_PROGRESS });
  failed = $state.raw<FileInfo[]>([]);
  /** The background job queue (index runs, backfills, re-suggest...): running, waiting, failed, finished. */
  jobs = $state.raw<JobInfo[]>([]);
  private unsubscribe: (() => void) | null = null;
  private unsubscribeJobs: (() => void) | null = null;
  private jobsReload: ReturnType<typeof setTimeout> | null = null;
  private queued: number[] | 'all' | null = null;
  private active = false;
  /**
   * Photos of earlier runs in the same chain (folders added while one indexed run one after another):
   * the counts shown add them, so three folders read "80 of 111", not "47 of 47" for the last one. A run
   * over all folders counts the earlier ones itself (as `upToDate`), so it carries nothing.
   */
  private carried = $state({ done: 0, total: 0 });

  get running(): boolean {
    return (
      this.progress.phase === 'scanning' ||
      this.progress.phase === 'indexing' ||
      this.progress.phase === 'clustering' ||
      this.progress.phase === 'text'
    );
  }

  /**
   * Done and total over the library being indexed: the photos of the run's folders that were already up
   * to date count as done, plus the earlier runs of the chain, so a run over 47 new photos in a 111-photo
   * library reads "64 of 111" at its start and "111 of 111" at its end.
   */
  get overall(): { done: number; total: number } {
    const { upToDate } = this.progress;
    return { done: this.carried.done + upToDate + this.progress.done, total: this.carried.total + upToDate + this.progress.total };
  }

  get fraction(): number {
    const { done, total } = this.overall;
    return total > 0 ? Math.min(1, done / total) : 0;
  }

  get runningJob(): JobInfo | undefined {
    return this.jobs.find((j) => j.state === 'running');
  }

  /** Queued and paused jobs, in the order they will run. */
  get waitingJobs(): JobInfo[] {
    return this.jobs.filter((j) => j.state === 'queued' || j.state === 'paused');
  }

  get failedJobs(): JobInfo[] {
    return this.jobs.filter((j) => j.state === 'failed');
  }

  get finishedJobs(): JobInfo[] {
    return this.jobs.filter((j) => j.state === 'done' || j.state === 'cancelled').slice(0, 10);
  }

  async connect(onFinished: () => void): Promise<void> {
    this.unsubscribeJobs?.();
    // A fast backfill reports many times a second: one list reload per 250 ms is enough for the eye.
    this.unsubscribeJobs = on('jobs.changed', () => {
      this.jobsReload ??= setTimeout(() => {
        this.jobsReload = null;
        void this.loadJobs();
      }, 250);
    });
    this.unsubscribe?.();
    this.unsubscribe = on('index.progress', (progress) => {
      const wasRunning = this.running || this.active;
      this.progress = progress;
      if (wasRunning && progress.phase === 'done') {
        this.active = false;
        onFinished();
        void this.loadFailed();
        if (Array.isArray(this.queued)) this.carried = this.overall;
        else if (this.queued === 'all') this.carried = { done: 0, total: 0 };
        this.startQueued();
      }
    });
    await this.guard(async () => (this.progress = await call('index.progress', {})));
    await this.loadFailed();
    await this.loadJobs();
  }

  async loadJobs(): Promise<void> {
    await this.guard(async () => {
      const jobs = await call('jobs.list', { limit: 30 });
      if (Array.isArray(jobs)) this.jobs = jobs;
    });
  }

  /** Pause, resume or cancel one job; the list is read back, so what is shown is what the engine did. */
  controlJob(action: 'pause' | 'resume' | 'cancel', id: number): Promise<void> {
    return this.guard(async () => {
      await call(`jobs.${action}`, { id });
      await this.loadJobs();
    });
  }

  /**
   * Starts indexing these folders (all when omitted). While a run is going, the request waits and
   * starts when the run ends, so adding three folders in a row indexes all three.
   */
  async start(folderIds?: number[]): Promise<void> {
    // `active` covers the gap between asking and the first progress event, when `running` is still false.
    if (this.active || this.running) return this.queue(folderIds);
    // A run started on its own (not one that waited for the previous) counts from zero.
    if (!this.chaining) this.carried = { done: 0, total: 0 };
    this.chaining = false;
    this.active = true;
    try {
      await call('index.start', folderIds ? { folderIds } : {});
      this.clearError();
    } catch (error) {
      this.active = false;
      if ((error as ApiCallError).code === 'conflict') return this.queue(folderIds);
      // Started from anywhere (Settings, the welcome sheet, a watcher): a toast that stays, with its fix.
      showError(error);
    }
  }

  private queue(folderIds: number[] | undefined): void {
    this.queued = folderIds && this.queued !== 'all' ? [...new Set([...(this.queued ?? []), ...folderIds])] : 'all';
  }

  private chaining = false;

  private startQueued(): void {
    const queued = this.queued;
    this.chaining = queued !== null;
    this.queued = null;
    if (queued) void this.start(queued === 'all' ? undefined : queued);
  }

  pause(): Promise<void> {
    return this.guard(async () => {
      await call('index.pause', {});
      this.progress = { ...this.progress, phase: 'paused' };
    });
  }

  resume(): Promise<void> {
    return this.guard(async () => {
      await call('index.resume', {});
      this.progress = await call('index.progress', {});
    });
  }

  async loadFailed(): Promise<void> {
    await this.guard(async () => (this.failed = await call('library.files', { status: 'failed', limit: 1000 })));
  }
}

export const indexing = new IndexingManager();

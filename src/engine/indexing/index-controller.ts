import { IDLE_INDEX_PROGRESS, type IndexProgress } from '../../common/api/library';
import { FacetError } from '../../common/errors';
import type { PhotoAnalyzer } from '../analyzers/analyzer';
import { type IndexRunOptions, type IndexRunResult, indexFolders } from './index-folders';
import { PauseGate } from './pause-gate';

export interface IndexJob {
  folders: string[];
  analyzers: PhotoAnalyzer[];
  faceModelId: string | null;
  /** Work after the photos are in (clustering): part of the run, so progress says "clustering". */
  afterRun?: (result: IndexRunResult) => Promise<void> | void;
  stageTimes?: IndexRunOptions['stageTimes'];
  signal?: AbortSignal;
  lockHeld?: boolean;
  /** Sees every progress update too (the job runner turns it into the job's totals). */
  onProgress?: (progress: IndexProgress) => void;
}

/**
 * One index run at a time per open library, pausable between photos, with its progress readable at any
 * moment (the app polls or listens; the CLI draws a bar).
 */
export class IndexController {
  private readonly gate = new PauseGate();
  private running: Promise<IndexRunResult> | null = null;
  private progress: IndexProgress = { ...IDLE_INDEX_PROGRESS };
  lastResult: IndexRunResult | null = null;
  /** Why the last background run stopped early (disk full, read-only library...), for the app to show. */
  lastError: string | null = null;

  constructor(
    private readonly base: Pick<IndexRunOptions, 'library' | 'concurrency'>,
    private readonly onProgress: (progress: IndexProgress) => void = () => {},
  ) {}

  get isRunning(): boolean {
    return this.running !== null;
  }

  get snapshot(): IndexProgress {
    return { ...this.progress, phase: this.gate.paused && this.running ? 'paused' : this.progress.phase };
  }

  /**
   * Starts a run. The job is prepared (models loaded, analyzers built) after the run is registered, so
   * two starts that arrive together cannot both pass the "already running" check.
   */
  run(prepare: IndexJob | (() => Promise<IndexJob>)): Promise<IndexRunResult> {
    if (this.running) throw new FacetError('conflict', 'Indexing is already running.');
    let job: IndexJob | null = null;
    const update = (progress: IndexProgress) => {
      this.progress = progress;
      job?.onProgress?.(progress);
      this.onProgress(this.snapshot);
    };
    this.lastError = null;
    this.running = (async () => {
      job = typeof prepare === 'function' ? await prepare() : prepare;
      const result = await indexFolders({
        ...this.base,
        folders: job.folders,
        analyzers: job.analyzers,
        faceModelId: job.faceModelId,
        gate: this.gate,
        onProgress: update,
        stageTimes: job.stageTimes,
        signal: job.signal,
        lockHeld: job.lockHeld,
      });
      if (job.afterRun) {
        update({ ...this.progress, phase: 'clustering' });
        await job.afterRun(result);
      }
      update({ ...this.progress, phase: 'done' });
      this.lastResult = result;
      return result;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  recordError(error: unknown): void {
    this.lastError = (error as Error)?.message ?? String(error);
  }

  pause(): void {
    this.gate.pause();
    this.onProgress(this.snapshot);
  }

  resume(): void {
    this.gate.resume();
    this.onProgress(this.snapshot);
  }
}

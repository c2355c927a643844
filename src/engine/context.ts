import type { ApiEvents, EventName } from '../common/api/events';
import type { JobInfo, JobKind } from '../common/api/jobs';
import type { IndexController } from './indexing/index-controller';
import type { Library } from './library/library';
import type { FaceModels } from './ml/face-models';
import type { Device } from '../common/api/device';
import type { OcrModels } from './ml/ocr-models';
import type { SessionPool } from './ml/runtime/session-pool';
import type { ModelManager } from './models/model-manager';
import type { ClipModels } from './search/clip-loader';

/**
 * Everything an API handler may use. Built once per open library by `Engine.open` (src/engine/engine.ts)
 * and shared by the app's IPC, the CLI and the e2e binding.
 */
export interface EngineContext {
  library: Library;
  models: ModelManager;
  device: Device;
  indexer: IndexController;
  /** The persistent job queue's runner: all background work (index, backfill, re-suggest...) goes through it. */
  jobs: JobQueue;
  /** This engine's onnxruntime sessions (released by Engine.close): provider and fallback come from here. */
  sessions: SessionPool;
  /** This engine's loaded CLIP models. */
  clip: ClipModels;
  /** The face models, loaded (and verified) on first use and then cached. */
  faceModels(): Promise<FaceModels>;
  /** The text detector and recogniser (embedded, no download), loaded on first use and then cached. */
  ocrModels(): Promise<OcrModels>;
  /**
   * Whether text in photos is read (the `backfill-text` job after index runs). Off: no text job is
   * queued or run, so indexing costs only the face pass; text search finds nothing new.
   */
  readText: boolean;
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void;
}

/** The job queue as handlers see it (src/engine/jobs/job-runner.ts implements it). */
export interface JobQueue {
  /** Adds a job, or returns the unfinished one of the same kind and params; `delayMs` debounces it. */
  enqueue(kind: JobKind, params?: object, options?: { delayMs?: number }): JobInfo;
  list(limit?: number): JobInfo[];
  get(id: number): JobInfo;
  pause(id: number): JobInfo;
  resume(id: number): JobInfo;
  cancel(id: number): JobInfo;
  /** Whether this process runs jobs in the background (the app's worker). */
  readonly started: boolean;
  start(): void;
  /** Runs the job in this process now (the CLI's foreground) and returns its result; see JobRunner.runHere. */
  runHere(id: number): Promise<unknown>;
  /** Whether a job of these kinds waits to run (due now or later). */
  hasWaiting(kinds?: readonly JobKind[]): boolean;
}

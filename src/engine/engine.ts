import path from 'node:path';
import type { OutputOf, ChannelName, InputOf } from '../common/api';
import type { JobKind } from '../common/api/jobs';
import { FacetError } from '../common/errors';
import type { ApiEvents, EventName } from '../common/api/events';
import type { Result } from '../common/result';
import { dispatch } from './api/dispatch';
import { apiHandlers } from './api/handlers';
import type { EngineContext } from './context';
import { IndexController } from './indexing/index-controller';
import { type IndexRunResult, emptyIndexRunResult } from './indexing/index-folders';
import { enqueueFaceCropBackfill } from './jobs/face-crop-job';
import { JobRunner } from './jobs/job-runner';
import { JOB_HANDLERS } from './jobs/kinds';
import { runIndex } from './jobs/run-index';
import { textModelInUse } from './jobs/text-setting';
import { Library } from './library/library';
import { checkHeicDecoderChoice } from './imaging/heic-decoder';
import { resolveLibraryDir } from './library/paths';
import { type FaceModels, loadFaceModels } from './ml/face-models';
import type { Device } from '../common/api/device';
import { loadOcrModels, type OcrModels } from './ml/ocr-models';
import { type TextCounts, TextStore } from './library/text-store';
import { SessionPool } from './ml/runtime/session-pool';
import type { ModelManifest } from './models/manifest-schema';
import { ModelManager } from './models/model-manager';
import { ClipModels } from './search/clip-loader';
import { releaseVectorIndexes } from './search/vector-index';
import { geocodePendingPhotos } from './places/geocode-photos';

export interface EngineOptions {
  /** --library DIR; defaults to FACET_LIBRARY, then the per-user app-data folder. */
  libraryDir?: string;
  /** --models DIR; defaults to FACET_MODELS_DIR. */
  modelsDir?: string;
  device?: Device;
  readonly?: boolean;
  busyTimeoutMs?: number;
  /** The Electron app's better-sqlite3 build (see README: two binaries). */
  nativeBinding?: string;
  /** Photos in flight during indexing. */
  concurrency?: number;
  /**
   * Start-up upkeep that writes derived data (places for photos indexed before Facet had them).
   * Default true; the app's main process passes false, since its worker does it (one writer).
   */
  upkeep?: boolean;
  onEvent?: <E extends EventName>(event: E, payload: ApiEvents[E]) => void;
  /** Another model manifest than the shipped one (tests, benchmarks). */
  manifest?: ModelManifest;
  /** Where to download models from instead of their hosts; defaults to FACET_MODEL_MIRROR (the app passes its setting). */
  modelMirror?: string;
  /** Read text in photos after index runs (the `backfill-text` job); default true. `facet index --no-text` passes false. */
  readText?: boolean;
  /** Run queued jobs in the background from the start (the app's worker); the CLI runs them in the foreground. */
  runJobs?: boolean;
}

/**
 * The engine as every front end sees it: an open library plus its models, answering API calls.
 * Electron-free by design (test/architecture.test.ts): the app, the CLI, tests and benchmarks share it.
 */
export class Engine {
  private constructor(
    readonly ctx: EngineContext,
    private readonly runner: JobRunner,
  ) {}

  static open(options: EngineOptions = {}): Engine {
    checkHeicDecoderChoice(); // a mistyped choice is refused before any photo is marked unreadable
    const library = Library.open(resolveLibraryDir(options.libraryDir), {
      readonly: options.readonly,
      busyTimeoutMs: options.busyTimeoutMs,
      nativeBinding: options.nativeBinding,
    });
    // Places for photos indexed before Facet had them (or whose GPS changed): idempotent, and one
    // indexed query when there is nothing to do.
    if (!options.readonly && options.upkeep !== false) geocodePendingPhotos(library);
    const modelsDir = options.modelsDir ?? process.env.FACET_MODELS_DIR;
    const mirror = options.modelMirror ?? (process.env.FACET_MODEL_MIRROR || undefined);
    const models = new ModelManager({
      libraryModelsDir: library.paths.models,
      ...(modelsDir ? { modelsDir } : {}),
      ...(options.manifest ? { manifest: options.manifest } : {}),
      ...(mirror ? { mirror } : {}),
    });
    const emit: EngineContext['emit'] = (event, payload) => options.onEvent?.(event, payload);
    let faceModels: Promise<FaceModels> | null = null;
    let ocrModels: Promise<OcrModels> | null = null;
    const device = options.device ?? 'auto';
    const sessions = new SessionPool();
    const ctx = {
      library,
      models,
      device,
      sessions,
      clip: new ClipModels(models, sessions, device),
      indexer: new IndexController({ library, concurrency: options.concurrency }, (progress) => emit('index.progress', progress)),
      faceModels: () => {
        faceModels ??= loadFaceModels(models, sessions, device).catch((error: unknown) => {
          faceModels = null; // a model downloaded later must be picked up
          throw error;
        });
        return faceModels;
      },
      ocrModels: () => {
        ocrModels ??= loadOcrModels(models, device, {}, sessions).catch((error: unknown) => {
          ocrModels = null;
          throw error;
        });
        return ocrModels;
      },
      readText: options.readText ?? true,
      emit,
    } as Omit<EngineContext, 'jobs'> as EngineContext;
    const runner = new JobRunner(ctx, JOB_HANDLERS);
    ctx.jobs = runner;
    // Libraries indexed before faces had crops of their own get them in the background.
    if (!options.readonly && options.upkeep !== false) enqueueFaceCropBackfill(ctx);
    if (options.runJobs) runner.start();
    return new Engine(ctx, runner);
  }

  get library(): Library {
    return this.ctx.library;
  }

  /** Any API channel, validated exactly as at the IPC boundary. */
  call<N extends ChannelName>(channel: N, input: InputOf<N>): Promise<Result<OutputOf<N>>>;
  call(channel: unknown, input: unknown): Promise<Result<unknown>>;
  call(channel: unknown, input: unknown): Promise<Result<unknown>> {
    return dispatch(this.ctx, apiHandlers, channel, input);
  }

  /**
   * Indexes folders with every analyzer the installed models allow, then updates people: an index job,
   * run here in the foreground (or awaited, when another process already runs the same job). Follow-up
   * jobs it queues (backfills) are left for `runJobs()`.
   */
  async index(folders: string[], options: Parameters<typeof runIndex>[2] = {}): Promise<IndexRunResult> {
    // A benchmark (stage times, each photo's completion) times the indexing pipeline itself, not the queue around it.
    if (options.stageTimes || options.onProgress) return runIndex(this.ctx, folders, options);
    const job = this.ctx.jobs.enqueue('index', { folders: folders.map((f) => path.resolve(f)) });
    this.ctx.indexer.lastResult = null;
    await this.runner.runUntilIdle({ until: job.id, ignoreDelay: true });
    const finished = this.ctx.jobs.get(job.id);
    if (finished.state === 'failed') throw this.runner.errorOf(job.id) ?? new FacetError('internal', finished.error ?? 'Indexing failed.');
    if (finished.state === 'cancelled') throw new FacetError('cancelled', 'Indexing was cancelled; the next run resumes where it stopped.');
    // Null when another process ran the job: this one analysed nothing.
    return this.ctx.indexer.lastResult ?? emptyIndexRunResult();
  }

  /**
   * Text in photos as the current text models see the library; null when text reading is off
   * (`readText: false`, or the library's setting) or the manifest has no text models, so nothing will be read.
   */
  textCounts(): TextCounts | null {
    const modelId = textModelInUse(this.ctx);
    return modelId === null ? null : new TextStore(this.ctx.library.db).counts(modelId);
  }

  /** Starts running queued jobs in the background (as `runJobs: true` does at open). */
  startJobs(): void {
    if (!this.runner.started) this.runner.start();
  }

  /** Runs every queued job in this process (the CLI's foreground), the debounced ones too. */
  runJobs(options: { kinds?: JobKind[] } = {}): Promise<void> {
    return this.runner.runUntilIdle({ ...options, ignoreDelay: true });
  }

  /** Stops the background runner after the photo in hand (the job resumes at the next start), then closes. */
  async shutdown(): Promise<void> {
    await this.runner.stop();
    this.close();
  }

  /** Closes the library and releases every model session this engine opened. */
  close(): void {
    void this.runner.stop();
    this.ctx.clip.clear();
    void this.ctx.sessions.release();
    void releaseVectorIndexes(this.ctx.library.db);
    this.ctx.library.close();
  }
}

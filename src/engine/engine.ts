import type { OutputOf, ChannelName, InputOf } from '../common/api';
import type { ApiEvents, EventName } from '../common/api/events';
import type { Result } from '../common/result';
import { dispatch } from './api/dispatch';
import { apiHandlers } from './api/handlers';
import type { EngineContext } from './context';
import { IndexController } from './indexing/index-controller';
import type { IndexRunResult } from './indexing/index-folders';
import { runIndex } from './jobs/run-index';
import { Library } from './library/library';
import { resolveLibraryDir } from './library/paths';
import { type FaceModels, loadFaceModels } from './ml/face-models';
import type { Device } from '../common/api/device';
import { loadOcrModels, type OcrModels } from './ml/ocr-models';
import { ModelManager } from './models/model-manager';
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
}

/**
 * The engine as every front end sees it: an open library plus its models, answering API calls.
 * Electron-free by design (test/architecture.test.ts): the app, the CLI, tests and benchmarks share it.
 */
export class Engine {
  private constructor(readonly ctx: EngineContext) {}

  static open(options: EngineOptions = {}): Engine {
    const library = Library.open(resolveLibraryDir(options.libraryDir), {
      readonly: options.readonly,
      busyTimeoutMs: options.busyTimeoutMs,
      nativeBinding: options.nativeBinding,
    });
    // Places for photos indexed before Facet had them (or whose GPS changed): idempotent, and one
    // indexed query when there is nothing to do.
    if (!options.readonly && options.upkeep !== false) geocodePendingPhotos(library);
    const modelsDir = options.modelsDir ?? process.env.FACET_MODELS_DIR;
    const models = new ModelManager({ libraryModelsDir: library.paths.models, ...(modelsDir ? { modelsDir } : {}) });
    const emit: EngineContext['emit'] = (event, payload) => options.onEvent?.(event, payload);
    let faceModels: Promise<FaceModels> | null = null;
    let ocrModels: Promise<OcrModels> | null = null;
    const device = options.device ?? 'auto';
    const ctx: EngineContext = {
      library,
      models,
      device,
      indexer: new IndexController({ library, concurrency: options.concurrency }, (progress) => emit('index.progress', progress)),
      faceModels: () => {
        faceModels ??= loadFaceModels(models, device).catch((error: unknown) => {
          faceModels = null; // a model downloaded later must be picked up
          throw error;
        });
        return faceModels;
      },
      ocrModels: () => {
        ocrModels ??= loadOcrModels(models, device).catch((error: unknown) => {
          ocrModels = null;
          throw error;
        });
        return ocrModels;
      },
      emit,
    };
    return new Engine(ctx);
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

  /** Indexes folders with every analyzer the installed models allow, then updates people. */
  index(folders: string[], options: Parameters<typeof runIndex>[2] = {}): Promise<IndexRunResult> {
    return runIndex(this.ctx, folders, options);
  }

  close(): void {
    this.ctx.library.close();
  }
}

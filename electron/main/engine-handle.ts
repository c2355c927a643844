import type { ApiEvents, EventName } from '../../src/common/api/events';
import { apiHandlers } from '../../src/engine/api/handlers';
import type { HandlerMap } from '../../src/engine/api/dispatch';
import type { EngineContext } from '../../src/engine/context';
import type { Device } from '../../src/common/api/device';
import { Engine } from '../../src/engine/engine';

export interface AppEngineOptions {
  libraryRoot: string;
  /** better-sqlite3 rebuilt for Electron's ABI (scripts/start-app.mjs); the Node build serves tests. */
  nativeBinding?: string;
  modelsDir?: string;
  device: Device;
  /** Settings → Models → mirror ('' or absent: FACET_MODEL_MIRROR, else the manifest's hosts). */
  modelMirror?: string;
  emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => void;
}

export interface EngineHandle {
  ctx: EngineContext;
  handlers: Partial<HandlerMap>;
  /** Starts the background job queue (the worker, once crash recovery has run). */
  startJobs(): void;
  close(): void;
}

/**
 * Opens the engine on the library, in the main process or in the worker. Only the worker does the
 * engine's start-up upkeep (writing derived data), so the main process stays a reader and editor.
 */
export function openAppEngine(options: AppEngineOptions, role: 'main' | 'worker'): EngineHandle {
  const engine = Engine.open({
    upkeep: role === 'worker',
    // The worker runs the job queue in the background (index, backfills, the re-suggest each people edit
    // queues, in whichever process it was made); an interrupted job resumes when the worker starts again.
    // It calls startJobs() itself, after crash recovery: a job started first would take the writer lock
    // and read the crash suspects before they were set aside.
    runJobs: false,
    libraryDir: options.libraryRoot,
    modelsDir: options.modelsDir,
    device: options.device,
    nativeBinding: options.nativeBinding,
    ...(options.modelMirror ? { modelMirror: options.modelMirror } : {}),
    onEvent: options.emit,
  });
  return { ctx: engine.ctx, handlers: apiHandlers, startJobs: () => engine.startJobs(), close: () => engine.close() };
}

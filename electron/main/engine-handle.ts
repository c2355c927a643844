import type { ApiEvents, EventName } from '../../src/common/api/events';
import { apiHandlers } from '../../src/engine/api/handlers';
import type { HandlerMap } from '../../src/engine/api/dispatch';
import type { EngineContext } from '../../src/engine/context';
import type { Device } from '../../src/engine/ml/runtime/execution-providers';
import { Engine } from '../../src/engine/engine';

export interface AppEngineOptions {
  libraryRoot: string;
  /** better-sqlite3 rebuilt for Electron's ABI (scripts/start-app.mjs); the Node build serves tests. */
  nativeBinding?: string;
  modelsDir?: string;
  device: Device;
  emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => void;
}

export interface EngineHandle {
  ctx: EngineContext;
  handlers: Partial<HandlerMap>;
  close(): void;
}

/** Opens the engine on the library; used by the main process and the worker alike. */
export function openAppEngine(options: AppEngineOptions): EngineHandle {
  const engine = Engine.open({
    libraryDir: options.libraryRoot,
    modelsDir: options.modelsDir,
    device: options.device,
    nativeBinding: options.nativeBinding,
    onEvent: options.emit,
  });
  return { ctx: engine.ctx, handlers: apiHandlers, close: () => engine.close() };
}

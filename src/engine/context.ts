import type { ApiEvents, EventName } from '../common/api/events';
import type { Library } from './library/library';

export type Device = 'auto' | 'cpu' | 'gpu';

/**
 * Everything an API handler may use. Built once per open library by `openEngine` (src/engine/engine.ts)
 * and shared by the app's IPC, the CLI and the e2e binding.
 */
export interface EngineContext {
  library: Library;
  /** Folder of model files given with --models / FACET_MODELS_DIR, if any. */
  modelsDir?: string;
  device: Device;
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void;
}

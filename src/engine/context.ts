import type { ApiEvents, EventName } from '../common/api/events';
import type { IndexController } from './indexing/index-controller';
import type { Library } from './library/library';
import type { FaceModels } from './ml/face-models';
import type { Device } from '../common/api/device';
import type { OcrModels } from './ml/ocr-models';
import type { ModelManager } from './models/model-manager';

/**
 * Everything an API handler may use. Built once per open library by `Engine.open` (src/engine/engine.ts)
 * and shared by the app's IPC, the CLI and the e2e binding.
 */
export interface EngineContext {
  library: Library;
  models: ModelManager;
  device: Device;
  indexer: IndexController;
  /** The face models, loaded (and verified) on first use and then cached. */
  faceModels(): Promise<FaceModels>;
  /** The text detector and recogniser (embedded, no download), loaded on first use and then cached. */
  ocrModels(): Promise<OcrModels>;
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void;
}

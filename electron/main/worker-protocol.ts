import type { ChannelName } from '../../src/common/api';
import type { EventName } from '../../src/common/api/events';
import type { ApiError, Result } from '../../src/common/result';
import type { AppEngineOptions } from './engine-handle';

/** What the worker needs to open the library: every path, since `app` does not exist in it. */
export type WorkerInit = Omit<AppEngineOptions, 'emit'>;

/** Messages between the main process and the worker (the utility process). */
export type ToWorker =
  | { type: 'init'; options: WorkerInit }
  | { type: 'call'; id: number; channel: ChannelName; input: unknown }
  /** The user changed the model mirror in Settings ('' = none); the next download uses it. */
  | { type: 'model-mirror'; modelMirror: string }
  /** Close the library and exit: the next start then knows the previous one did not crash. */
  | { type: 'shutdown' };

export type FromWorker =
  | { type: 'ready'; recovered: string[] }
  | { type: 'init-failed'; error: ApiError }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; name: EventName; payload: unknown }
  /** A warning the engine printed (a GPU fallback, models or HEIC decodes off their worker threads), for the app's log file. */
  | { type: 'log'; level: 'warn' | 'error'; message: string };

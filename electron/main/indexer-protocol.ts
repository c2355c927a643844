import type { ChannelName } from '../../src/common/api';
import type { EventName } from '../../src/common/api/events';
import type { Result } from '../../src/common/result';
import type { AppEngineOptions } from './engine-handle';

/** Messages between the main process and the indexing utility process. */
export type ToIndexer =
  | { type: 'init'; options: Omit<AppEngineOptions, 'emit'> }
  | { type: 'call'; id: number; channel: ChannelName; input: unknown };

export type FromIndexer =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; name: EventName; payload: unknown };

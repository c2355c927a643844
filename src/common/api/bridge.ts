import type { ApiEvents, EventName } from './events';
import type { ChannelName, InputOf, OutputOf } from './index';
import type { Result } from '../result';

/**
 * `window.facet`, what the preload exposes to the renderer (and the e2e test defines over Playwright's
 * binding): one typed call over the whole contract and a subscription per pushed event.
 */
export interface FacetBridge {
  call<N extends ChannelName>(channel: N, input: InputOf<N>): Promise<Result<OutputOf<N>>>;
  on<E extends EventName>(event: E, callback: (payload: ApiEvents[E]) => void): () => void;
}

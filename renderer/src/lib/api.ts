import type { ChannelName, InputOf, OutputOf } from '../../../src/common/api';
import type { FacetBridge } from '../../../src/common/api/bridge';
import type { ApiEvents, EventName } from '../../../src/common/api/events';
import type { ApiError } from '../../../src/common/result';

declare global {
  interface Window {
    facet?: FacetBridge;
  }
}

/** An API error that kept its machine-readable code across the bridge. */
export class ApiCallError extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
  }
}

function bridge(): FacetBridge {
  if (!window.facet) throw new ApiCallError('internal', 'Facet’s engine is not connected (window.facet is missing).');
  return window.facet;
}

/** Typed call over the one contract; unwraps the envelope into a value or an ApiCallError. */
export async function call<N extends ChannelName>(channel: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await bridge().call(channel, input);
  if (result.ok) return result.value;
  throw new ApiCallError(result.error.code, result.error.message);
}

export function on<E extends EventName>(event: E, callback: (payload: ApiEvents[E]) => void): () => void {
  return bridge().on(event, callback);
}

/** Media by library id only: the main process (or the e2e route) resolves the file. */
export const thumbUrl = (photoId: number) => `facet://thumb/${photoId}`;
export const photoUrl = (photoId: number) => `facet://photo/${photoId}`;
/** A face's own 256 px crop, made at indexing (404 until a library from before crops is backfilled). */
export const faceUrl = (faceId: number) => `facet://face/${faceId}`;

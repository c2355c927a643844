import { type ChannelName, channelsRunningIn } from '../../src/common/api';
import { unwrap } from '../../src/common/result';
import type { Handler, HandlerMap } from '../../src/engine/api/dispatch';
import type { WorkerHost } from './worker-host';

/**
 * The main process's handler for every channel, chosen by the channel's `runsIn`: a `main` channel
 * runs here (the app's own handler first, else the engine's plain-SQL one); a `worker` channel is
 * forwarded to the worker. Nothing else decides where a channel runs.
 */
export function routeChannels(
  own: Partial<HandlerMap>,
  engine: Partial<HandlerMap>,
  worker: Pick<WorkerHost, 'call'>,
): Partial<HandlerMap> {
  const handlers: Partial<Record<ChannelName, Handler<never>>> = {};
  for (const name of channelsRunningIn('main')) {
    const handler = own[name] ?? engine[name];
    if (handler) handlers[name] = handler as Handler<never>;
  }
  for (const name of channelsRunningIn('worker')) {
    handlers[name] = (async (_ctx: unknown, input: unknown) => unwrap(await worker.call(name, input))) as unknown as Handler<never>;
  }
  return handlers as Partial<HandlerMap>;
}

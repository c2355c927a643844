import { type ApiChannels, type ChannelName, type OutputOf, apiChannels, isChannelName } from '../../common/api';
import type { ChannelParsed } from '../../common/api/channel';
import { FacetError } from '../../common/errors';
import { type Result, fail, ok } from '../../common/result';
import type { EngineContext } from '../context';

export type Handler<N extends ChannelName> = (
  ctx: EngineContext,
  input: ChannelParsed<ApiChannels[N]>,
) => Promise<OutputOf<N>> | OutputOf<N>;
export type HandlerMap<N extends ChannelName = ChannelName> = { [K in N]: Handler<K> };

/**
 * The single entry point from any boundary (IPC, CLI, e2e binding): checks the channel name, validates
 * the input with the channel's zod schema, runs the handler, and wraps the result in an envelope.
 */
export async function dispatch(
  ctx: EngineContext,
  handlers: Partial<HandlerMap>,
  channel: unknown,
  rawInput: unknown,
): Promise<Result<unknown>> {
  try {
    if (!isChannelName(channel))
      throw new FacetError('invalid_argument', `Unknown API channel: ${JSON.stringify(String(channel)).slice(0, 80)}`);
    const handler = handlers[channel] as Handler<typeof channel> | undefined;
    if (!handler) throw new FacetError('unsupported', `The channel ${channel} is not available here.`);
    const parsed = apiChannels[channel].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new FacetError('invalid_argument', `Invalid arguments for ${channel}: ${where}${issue?.message ?? 'invalid input'}`);
    }
    return ok(await handler(ctx, parsed.data as never));
  } catch (error) {
    return fail(error);
  }
}

import type { z } from 'zod';

/**
 * One API channel: a zod schema for its input (validated at every boundary: IPC, CLI, e2e binding)
 * and a phantom output type. Outputs are produced by our own engine, so they are typed, not parsed.
 */
export interface Channel<Input extends z.ZodType, Output> {
  readonly input: Input;
  /** Never read at run time; carries the output type. */
  readonly output?: Output;
}

export function channel<Output>() {
  return <Input extends z.ZodType>(input: Input): Channel<Input, Output> => ({ input });
}

export type AnyChannel = Channel<z.ZodType, unknown>;
export type ChannelInput<C> = C extends Channel<infer I, unknown> ? z.input<I> : never;
export type ChannelParsed<C> = C extends Channel<infer I, unknown> ? z.output<I> : never;
export type ChannelOutput<C> = C extends Channel<z.ZodType, infer O> ? O : never;

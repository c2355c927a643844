import type { z } from 'zod';

/**
 * Which process of the desktop app serves a channel (the CLI serves all of them in one process).
 * - `worker`: the utility process; everything that loads a model or writes derived data (indexing,
 *   CLIP embedding and backfill, clustering and re-suggestion, tags, XMP export, the text encoder
 *   for search queries, vector scans for similar photos and duplicates), and status that depends on
 *   those models (execution provider, models loaded).
 * - `main`: the Electron main process; reads and people edits as plain SQL, OS dialogs and settings.
 *   It never creates a model session, so a busy model never stalls the window.
 */
export type RunsIn = 'main' | 'worker';

/**
 * One API channel: a zod schema for its input (validated at every boundary: IPC, CLI, e2e binding),
 * the process it runs in, and a phantom output type. Outputs are produced by our own engine, so they
 * are typed, not parsed.
 */
export interface Channel<Input extends z.ZodType, Output> {
  readonly input: Input;
  readonly runsIn: RunsIn;
  /** Never read at run time; carries the output type. */
  readonly output?: Output;
}

/** `channel<Output>('main' | 'worker')(inputSchema)`: the output type is explicit, the input inferred. */
export function channel<Output>(runsIn: RunsIn) {
  return <Input extends z.ZodType>(input: Input): Channel<Input, Output> => ({ input, runsIn });
}

export type AnyChannel = Channel<z.ZodType, unknown>;
export type ChannelInput<C> = C extends Channel<infer I, unknown> ? z.input<I> : never;
export type ChannelParsed<C> = C extends Channel<infer I, unknown> ? z.output<I> : never;
export type ChannelOutput<C> = C extends Channel<z.ZodType, infer O> ? O : never;

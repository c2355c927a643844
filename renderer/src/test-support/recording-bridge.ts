/** A call the component under test made through the bridge, in order. */
export interface RecordedCall {
  channel: string;
  input: unknown;
}

/**
 * A stand-in for the preload's `window.facet` in component tests: `answer` gives each call's value as
 * the engine would, wrapped in the `{ok, value}` envelope the real bridge returns, and every call is
 * recorded so a test can check what reached the engine. Events never fire.
 */
export function recordingBridge(answer: (channel: string, input: unknown) => unknown): RecordedCall[] {
  const calls: RecordedCall[] = [];
  window.facet = {
    call: (async (channel: string, input: unknown) => {
      calls.push({ channel, input });
      return { ok: true, value: answer(channel, input) };
    }) as never,
    on: (() => () => {}) as never,
  };
  return calls;
}

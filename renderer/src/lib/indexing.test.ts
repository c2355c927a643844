import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IndexProgress } from '../../../src/common/api';
import { indexing } from './indexing.svelte';

/** A stand-in bridge that records calls and lets the test push progress events. */
function fakeBridge() {
  const calls: { channel: string; input: unknown }[] = [];
  let push: (p: IndexProgress) => void = () => {};
  window.facet = {
    call: (async (channel: string, input: unknown) => {
      calls.push({ channel, input });
      if (channel === 'index.progress')
        return {
          ok: true,
          value: { phase: 'idle', done: 0, total: 0, upToDate: 0, photosPerSecond: 0, etaSeconds: null, current: null, failed: 0 },
        };
      if (channel === 'library.files') return { ok: true, value: [] };
      return { ok: true, value: { started: true } };
    }) as never,
    on: ((_event: string, callback: (p: IndexProgress) => void) => {
      push = callback;
      return () => {};
    }) as never,
  };
  return {
    calls,
    progress: (phase: IndexProgress['phase'], counts: Partial<Pick<IndexProgress, 'done' | 'total' | 'upToDate'>> = {}) =>
      push({ phase, done: 1, total: 2, upToDate: 0, photosPerSecond: 1, etaSeconds: 1, current: null, failed: 0, ...counts }),
  };
}

afterEach(() => {
  delete window.facet;
});

describe('indexing several folders in a row', () => {
  it('queues folders added while a run is starting or going, and starts them when it ends', async () => {
    const bridge = fakeBridge();
    const finished = vi.fn();
    await indexing.connect(finished);
    await Promise.all([indexing.start([1]), indexing.start([2]), indexing.start([3])]);
    const starts = () => bridge.calls.filter((c) => c.channel === 'index.start').map((c) => c.input);
    expect(starts()).toEqual([{ folderIds: [1] }]);
    bridge.progress('indexing');
    bridge.progress('done');
    expect(finished).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(starts()).toEqual([{ folderIds: [1] }, { folderIds: [2, 3] }]));
    // The second run counts on from the first: 1 of 2 done there, 1 of 2 here → 2 of 4 overall.
    bridge.progress('indexing');
    expect(indexing.overall).toEqual({ done: 2, total: 4 });
    bridge.progress('done');
  });

  it('counts the photos already indexed: 47 new photos in a 111-photo library read 64 of 111, then 111 of 111', async () => {
    const bridge = fakeBridge();
    await indexing.connect(() => {});
    await indexing.start();
    bridge.progress('indexing', { done: 0, total: 47, upToDate: 64 });
    expect(indexing.overall).toEqual({ done: 64, total: 111 });
    bridge.progress('indexing', { done: 47, total: 47, upToDate: 64 });
    expect(indexing.overall).toEqual({ done: 111, total: 111 });
    bridge.progress('done', { done: 47, total: 47, upToDate: 64 });
  });

  it('a queued run over all folders counts the earlier folders itself, so nothing is counted twice', async () => {
    const bridge = fakeBridge();
    await indexing.connect(() => {});
    await indexing.start([1]);
    await indexing.start();
    bridge.progress('indexing', { done: 0, total: 40, upToDate: 0 });
    bridge.progress('done', { done: 40, total: 40, upToDate: 0 });
    await vi.waitFor(() => expect(bridge.calls.filter((c) => c.channel === 'index.start')).toHaveLength(2));
    bridge.progress('indexing', { done: 0, total: 71, upToDate: 40 });
    expect(indexing.overall).toEqual({ done: 40, total: 111 });
    bridge.progress('done', { done: 71, total: 71, upToDate: 40 });
  });
});

import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, apiChannels, channelsRunningIn } from '../../src/common/api';
import { apiHandlers } from '../../src/engine/api/handlers';

/**
 * Every channel declares the process it runs in (src/common/api/channel.ts). The app routes by that
 * declaration alone, so a worker channel without an engine handler would answer "unsupported" forever.
 */
describe('channel placement', () => {
  it('splits the contract into main and worker channels with nothing left over', () => {
    const main = channelsRunningIn('main');
    const worker = channelsRunningIn('worker');
    expect([...main, ...worker].sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(main.filter((name) => worker.includes(name))).toEqual([]);
  });

  it('gives every worker channel an engine handler (the worker has no app handlers)', () => {
    const missing = channelsRunningIn('worker').filter((name) => !apiHandlers[name]);
    expect(missing).toEqual([]);
  });

  it('runs model work in the worker: indexing, the text encoder, similar photos, re-clustering', () => {
    for (const name of [
      'index.start',
      'search.query',
      'search.similar',
      'search.duplicates',
      'people.recluster',
      'people.exportXmp',
      'library.status',
    ] as const) {
      expect(apiChannels[name].runsIn, name).toBe('worker');
    }
    for (const name of ['library.photos', 'people.list', 'people.name', 'app.pickFolder', 'settings.get'] as const) {
      expect(apiChannels[name].runsIn, name).toBe('main');
    }
  });
});

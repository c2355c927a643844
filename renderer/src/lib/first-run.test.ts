import { afterEach, describe, expect, it } from 'vitest';
import type { ModelStatus } from '../../../src/common/api/models';
import { firstRun } from './first-run.svelte';

const model = (id: string, task: ModelStatus['task'], bytes: number, installed: boolean): ModelStatus => ({
  id,
  task,
  title: id,
  default: true,
  installed,
  bytes,
  location: null,
  source: 'manifest',
});

/** A stand-in bridge: the engine's model list, and a "download defaults" that reports progress as the engine does. */
function fakeBridge() {
  const calls: string[] = [];
  let installed = false;
  const listeners = new Map<string, (payload: unknown) => void>();
  let fractionMidway = -1;
  window.facet = {
    call: (async (channel: string) => {
      calls.push(channel);
      if (channel === 'models.list')
        return { ok: true, value: [model('det', 'face-detection', 1000, installed), model('emb', 'face-embedding', 3000, installed)] };
      if (channel === 'library.status') return { ok: true, value: null };
      if (channel === 'models.downloadDefaults') {
        const progress = listeners.get('models.downloadProgress')!;
        progress({ modelId: 'det', receivedBytes: 1000, totalBytes: 1000 });
        progress({ modelId: 'emb', receivedBytes: 1000, totalBytes: 3000 });
        fractionMidway = firstRun.downloadFraction;
        progress({ modelId: 'emb', receivedBytes: 3000, totalBytes: 3000 });
        installed = true;
        return { ok: true, value: [] };
      }
      return { ok: false, error: { code: 'internal', message: `unexpected ${channel}` } };
    }) as never,
    on: ((event: string, callback: (payload: unknown) => void) => {
      listeners.set(event, callback);
      return () => {};
    }) as never,
  };
  return { calls, midway: () => fractionMidway };
}

afterEach(() => {
  delete window.facet;
});

describe('the welcome sheet’s "Get face models"', () => {
  it('downloads both face models with one "download defaults" call, its size and progress over both', async () => {
    const bridge = fakeBridge();
    await firstRun.downloadFaceModels();
    expect(bridge.calls.filter((c) => c.startsWith('models.download'))).toEqual(['models.downloadDefaults']);
    // 1000 of the detector + 1000 of the embedder's 3000 = half of the 4000 bytes.
    expect(bridge.midway()).toBe(0.5);
    expect(firstRun.faceModelsInstalled).toBe(true);
    expect(firstRun.downloading).toBe(false);
  });
});

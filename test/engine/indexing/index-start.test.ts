import path from 'node:path';
import { expect, it } from 'vitest';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

describeWithShared('index.start from the app', () => {
  const work = tempDir();

  it('two starts that arrive together are one index job, run once in the background', async () => {
    const engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    try {
      unwrap(await engine.call('folders.add', { path: sharedPhotos('faces-album') }));
      const [first, second] = await Promise.all([engine.call('index.start', {}), engine.call('index.start', {})]);
      expect([first.ok, second.ok]).toEqual([true, true]);
      const jobs = async () => unwrap(await engine.call('jobs.list', {}));
      let list = await jobs();
      expect(list.filter((j) => j.kind === 'index')).toHaveLength(1);
      while (list.some((j) => j.kind === 'index' && j.state !== 'done')) {
        expect(list.find((j) => j.kind === 'index')?.state).not.toBe('failed');
        await new Promise((resolve) => setTimeout(resolve, 100));
        list = await jobs();
      }
      expect(list.find((j) => j.kind === 'index')).toMatchObject({ state: 'done', done: 23, total: 23 });
      const files = unwrap(await engine.call('library.files', {}));
      expect(files.length).toBeGreaterThan(20);
      expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
    } finally {
      await engine.shutdown();
    }
  });
});

import path from 'node:path';
import { expect, it } from 'vitest';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

describeWithShared('index.start from the app', () => {
  const work = tempDir();

  it('two starts that arrive together run once: the second is told indexing is already running', async () => {
    const engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    try {
      unwrap(await engine.call('folders.add', { path: sharedPhotos('faces-album') }));
      const [first, second] = await Promise.all([engine.call('index.start', {}), engine.call('index.start', {})]);
      expect([first.ok, second.ok].sort()).toEqual([false, true]);
      const refused = first.ok ? second : first;
      expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
      while (engine.ctx.indexer.isRunning) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(engine.ctx.indexer.lastError).toBeNull();
      const files = unwrap(await engine.call('library.files', {}));
      expect(files.length).toBeGreaterThan(20);
      expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
    } finally {
      engine.close();
    }
  });
});

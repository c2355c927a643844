import path from 'node:path';
import { expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine';
import { SHARED_MODELS, describeWithShared } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { captionPhotos, query } from './support';

/**
 * The app's worker (and the e2e) close the engine while a background job runs. Engine.close() stops the
 * runner without waiting and closes the library at once; the runner used to go on reading the closed
 * database and raise "The database connection is not open" after the fact (an unhandled rejection,
 * which failed the e2e run). The job must instead stay 'running' in the library, to be resumed.
 */
describeWithShared('closing the engine while a job runs', () => {
  it('raises nothing once closed, and leaves the interrupted job to resume at the next start', async () => {
    const work = tempDir('facet-close-running-');
    const photos = captionPhotos(path.join(work, 'photos'), 120);
    const libraryDir = path.join(work, 'library');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const engine = Engine.open({ libraryDir, modelsDir: SHARED_MODELS, device: 'cpu', runJobs: true });
      const folder = await engine.call('folders.add', { path: photos });
      expect(folder.ok).toBe(true);
      expect(await engine.call('index.start', {})).toMatchObject({ ok: true });
      await expect
        .poll(() => engine.ctx.jobs.list().some((job) => job.state === 'running' && job.done > 0), { timeout: 60_000, interval: 50 })
        .toBe(true);
      engine.close();
      await new Promise((resolve) => setTimeout(resolve, 2500)); // longer than the runner's state poll and idle wait
      expect(unhandled).toEqual([]);
      const [job] = query<{ state: string }>(libraryDir, "SELECT state FROM jobs WHERE kind = 'index'");
      expect(job?.state).toBe('running'); // what the next start resumes first
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

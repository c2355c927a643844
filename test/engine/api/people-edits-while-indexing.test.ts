import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PersonSummary } from '../../../src/common/api/people';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import type { WriterLock } from '../../../src/engine/library/writer-lock';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

/**
 * Users name people while indexing runs. The app has two engines on one library: the main process
 * applies edits (plain SQL), the worker runs jobs and the `people.recluster` the app asks for after
 * each name. A job holds the writer lock for its whole run, so that re-cluster used to wait 5 s and
 * answer "The library is busy" for a name that was saved. Real photos, real face models.
 */
describeWithShared('people edits while a job holds the writer lock', { timeout: 180_000 }, () => {
  const work = tempDir('facet-edits-while-indexing-');
  const libraryDir = path.join(work, 'library');
  let worker: Engine;
  let main: Engine;

  beforeAll(async () => {
    // A short lock wait keeps the "without orQueue" case quick; the app's default is 5 s.
    // No text reading: its backfill would run first and only make the test longer.
    worker = Engine.open({ libraryDir, modelsDir: SHARED_MODELS, device: 'cpu', busyTimeoutMs: 300, readText: false });
    await worker.index([sharedPhotos('faces-album')]);
    main = Engine.open({ libraryDir, modelsDir: SHARED_MODELS, device: 'cpu', upkeep: false });
  });
  afterAll(async () => {
    main?.close();
    await worker?.shutdown();
  });

  const people = async (engine: Engine) => unwrap(await engine.call('people.list', {})) as PersonSummary[];
  const resuggestsDone = () => worker.ctx.jobs.list(100).filter((j) => j.kind === 'resuggest' && j.state === 'done').length;

  it('names saved in the main process while a job holds the lock: no busy error, nothing lost, suggestions follow after the job', async () => {
    const unnamed = (await people(main)).filter((p) => !p.name).slice(0, 3);
    expect(unnamed.length).toBe(3);
    // Another writer's whole run (an index job, the text backfill) holds the writer lock.
    const job: WriterLock = await worker.library.acquireWriterLock(0);
    try {
      for (const [i, person] of unnamed.entries()) {
        // What the app does for each name typed: the edit in main, then the refresh in the worker.
        unwrap(await main.call('people.name', { id: person.id, name: `Person ${i + 1}` }));
        const refresh = await worker.call('people.recluster', { full: false, orQueue: true });
        expect(refresh).toEqual({ ok: true, value: expect.objectContaining({ queued: true }) });
      }
      // The CLI's `facet people recluster` still waits for the lock and says why it could not run.
      const cli = await worker.call('people.recluster', { full: false });
      expect(cli.ok ? null : cli.error.code).toBe('library_busy');
    } finally {
      job.release();
    }
    const names = new Map((await people(worker)).map((p) => [p.id, p.name]));
    expect(unnamed.map((p) => names.get(p.id))).toEqual(['Person 1', 'Person 2', 'Person 3']);
    // Once the lock is free, the worker's runner does the clustering the edits queued: one re-suggest run.
    const before = resuggestsDone();
    worker.startJobs();
    await expect.poll(resuggestsDone, { timeout: 30_000, interval: 100 }).toBe(before + 1);
    // With the lock free, the refresh runs here and now.
    const now = unwrap(await worker.call('people.recluster', { full: false, orQueue: true }));
    expect(now.queued).toBe(false);
    expect((await people(main)).flatMap((p) => (p.name?.startsWith('Person ') ? [p.name] : [])).sort()).toEqual([
      'Person 1',
      'Person 2',
      'Person 3',
    ]);
  });

  it('orQueue is only for the incremental refresh', async () => {
    const full = await worker.call('people.recluster', { full: true, orQueue: true });
    expect(full.ok ? null : full.error.code).toBe('invalid_argument');
  });
});

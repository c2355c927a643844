import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine';
import { enqueueBackfills } from '../../../src/engine/jobs/follow-ups';
import { MAX_TEXT_ATTEMPTS, TextStore } from '../../../src/engine/library/text-store';
import { generateTextPhotos } from '../../../bench/text-photos';
import { describeWithShared, SHARED_MODELS } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { SIGN_BACKGROUNDS } from '../ml/ocr/ocr-support';

describeWithShared('jobs: text in photos as a backfill job', () => {
  const work = tempDir('facet-text-job-');

  it('an index run does no text work: it queues a "backfill-text" job, which reads the photos and is not queued again', async () => {
    const photos = await generateTextPhotos({
      backgrounds: SIGN_BACKGROUNDS,
      target: path.join(work, 'photos'),
      perScript: { latin: 2 },
      distractors: 2,
      seed: 3,
    });
    const engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    try {
      await engine.index([path.join(work, 'photos')]);
      const db = engine.library.db;
      // Photos and people are in; not one photo was looked at for text yet.
      expect(db.prepare('SELECT COUNT(*) AS n FROM photo_text_scans').get()).toEqual({ n: 0 });
      const queued = engine.ctx.jobs.list().find((j) => j.kind === 'backfill-text');
      expect(queued).toMatchObject({ state: 'queued', subject: 'text in photos' });
      await engine.runJobs({ kinds: ['backfill-text'] });
      expect(engine.ctx.jobs.get(queued!.id)).toMatchObject({ state: 'done', done: photos.length, total: photos.length, failed: 0 });
      const store = new TextStore(db);
      const modelId = (await engine.ctx.ocrModels()).modelId;
      expect(store.counts(modelId)).toMatchObject({ scanned: photos.length, pending: 0 });
      const word = photos.find((p) => p.text)!.query!;
      const hits = await engine.call('search.query', { photoText: [word] });
      expect(hits.ok && hits.value[0]?.photo).toBe(photos.find((p) => p.query === word)!.file);
      enqueueBackfills(engine.ctx);
      expect(engine.ctx.jobs.list().filter((j) => j.kind === 'backfill-text' && j.state === 'queued')).toEqual([]);
      // A photo whose content changed is analysed again: its old text is forgotten, and read anew by the job.
      const sign = photos.find((p) => p.query === word)!;
      const other = photos.find((p) => !p.text)!;
      fs.copyFileSync(other.file, sign.file);
      fs.utimesSync(sign.file, new Date(), new Date(Date.now() + 5000));
      await engine.index([path.join(work, 'photos')]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM photo_text_scans').get()).toEqual({ n: photos.length - 1 });
      await engine.runJobs({ kinds: ['backfill-text'] });
      const again = await engine.call('search.query', { photoText: [word] });
      expect(again.ok && again.value.map((h) => h.photo)).not.toContain(sign.file);
      // As a library indexed by a Facet that did not read text yet: the next follow-ups queue it again.
      const texts = new TextStore(db);
      for (const id of db.prepare('SELECT id FROM photos').pluck().all() as number[]) texts.forget(id);
      expect(enqueueBackfills(engine.ctx)).toBeGreaterThanOrEqual(1);
      expect(engine.ctx.jobs.list().filter((j) => j.kind === 'backfill-text' && j.state === 'queued')).toHaveLength(1);
    } finally {
      engine.close();
    }
  });

  it('with text reading off, no text job is queued, and one queued before does nothing', async () => {
    const engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu', readText: false });
    try {
      // The library of the test above: a backfill-text job is queued and every photo still needs text.
      const before = engine.ctx.jobs.list().filter((j) => j.kind === 'backfill-text' && j.state === 'queued');
      expect(before).toHaveLength(1);
      expect(enqueueBackfills(engine.ctx)).toBe(0);
      await engine.runJobs();
      expect(engine.library.db.prepare('SELECT COUNT(*) AS n FROM photo_text_scans').get()).toEqual({ n: 0 });
      expect(engine.ctx.jobs.get(before[0]!.id).state).toBe('done');
    } finally {
      engine.close();
    }
  });

  it('a photo whose text cannot be read keeps the reason, says so, and is left alone after a few attempts', async () => {
    const folder = path.join(work, 'gone');
    fs.mkdirSync(folder, { recursive: true });
    const source = fs
      .readdirSync(path.join(work, 'photos'))
      .filter((f) => f.endsWith('.jpg'))
      .slice(0, 2);
    for (const file of source) fs.copyFileSync(path.join(work, 'photos', file), path.join(folder, file));
    const engine = Engine.open({ libraryDir: path.join(work, 'library-gone'), modelsDir: SHARED_MODELS, device: 'cpu' });
    try {
      await engine.index([folder]);
      const gone = path.join(folder, source[0]!);
      fs.rmSync(gone); // moved away between the index run and the text job
      const photoId = (engine.library.db.prepare('SELECT id FROM photos WHERE path = ?').get(gone) as { id: number }).id;
      for (let attempt = 1; attempt <= MAX_TEXT_ATTEMPTS; attempt++) {
        expect(enqueueBackfills(engine.ctx)).toBe(1);
        await engine.runJobs({ kinds: ['backfill-text'] });
        const text = await engine.call('text.photo', { photoId });
        expect(text.ok && text.value).toMatchObject({ state: 'failed', error: expect.stringContaining(`(${attempt} attempt`) });
        expect(text.ok && text.value.error).toContain('ENOENT');
      }
      expect(enqueueBackfills(engine.ctx)).toBe(0);
    } finally {
      engine.close();
    }
  });
});

import path from 'node:path';
import { expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine';
import { enqueueBackfills } from '../../../src/engine/jobs/follow-ups';
import { TEXT_PHOTOS_IN_FLIGHT } from '../../../src/engine/jobs/text-pass';
import { TextStore } from '../../../src/engine/library/text-store';
import { generateTextPhotos } from '../../../bench/text-photos';
import { describeWithShared, SHARED_MODELS } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { SIGN_BACKGROUNDS } from '../ml/ocr/ocr-support';

describeWithShared('the library’s "read text in photos" setting (the app’s Settings switch)', () => {
  const work = tempDir('facet-text-setting-');
  const library = path.join(work, 'library');
  const scans = (engine: Engine) => (engine.library.db.prepare('SELECT COUNT(*) AS n FROM photo_text_scans').get() as { n: number }).n;
  const textJobs = (engine: Engine, state: string) => engine.ctx.jobs.list().filter((j) => j.kind === 'backfill-text' && j.state === state);

  it('off: indexing queues no text job and reads nothing, across a restart; on again: the photos are read without another index run', async () => {
    const photos = await generateTextPhotos({
      backgrounds: SIGN_BACKGROUNDS,
      target: path.join(work, 'photos'),
      perScript: { latin: 3 },
      distractors: 3,
      seed: 5,
    });
    const first = Engine.open({ libraryDir: library, modelsDir: SHARED_MODELS, device: 'cpu' });
    try {
      expect(await first.call('text.reading', {})).toEqual({ ok: true, value: { enabled: true } });
      expect(await first.call('text.setReading', { enabled: false })).toEqual({ ok: true, value: { enabled: false } });
      await first.index([path.join(work, 'photos')]);
      await first.runJobs();
      expect(textJobs(first, 'queued')).toEqual([]);
      expect(scans(first)).toBe(0);
    } finally {
      first.close();
    }

    // A restart (the app's next start, or `facet index` from a terminal) keeps it off.
    const second = Engine.open({ libraryDir: library, modelsDir: SHARED_MODELS, device: 'cpu' });
    try {
      expect(await second.call('text.reading', {})).toEqual({ ok: true, value: { enabled: false } });
      expect(enqueueBackfills(second.ctx)).toBe(0);
      // On again: queued at once, then read by the job.
      expect(await second.call('text.setReading', { enabled: true })).toEqual({ ok: true, value: { enabled: true } });
      expect(textJobs(second, 'queued')).toHaveLength(1);
      await second.runJobs({ kinds: ['backfill-text'] });
      expect(scans(second)).toBe(photos.length);
      const sign = photos.find((p) => p.text)!;
      const hits = await second.call('search.query', { photoText: [sign.query!] });
      expect(hits.ok && hits.value.map((h) => h.photo)).toContain(sign.file);
    } finally {
      second.close();
    }
  });

  it('turned off while the text job runs: the job stops after the photo in hand, and what it read stays', async () => {
    let engine: Engine | null = null;
    let turnedOffAt = -1;
    engine = Engine.open({
      libraryDir: library,
      modelsDir: SHARED_MODELS,
      device: 'cpu',
      onEvent: (event) => {
        // The user flips the switch once the job has read its first photo.
        if (event !== 'jobs.changed' || turnedOffAt >= 0 || !engine || scans(engine) === 0) return;
        turnedOffAt = scans(engine);
        void engine.call('text.setReading', { enabled: false });
      },
    });
    try {
      // The library of the test above, read in full: forget it, so there is work to stop.
      const store = new TextStore(engine.library.db);
      for (const { id } of engine.library.db.prepare('SELECT id FROM photos').all() as { id: number }[]) store.forget(id);
      expect(scans(engine)).toBe(0);
      expect(enqueueBackfills(engine.ctx)).toBe(1);
      await engine.runJobs({ kinds: ['backfill-text'] });
      expect(turnedOffAt).toBeGreaterThanOrEqual(1);
      // Several photos are in flight at once: at most the others finish after the switch.
      expect(scans(engine)).toBeLessThanOrEqual(turnedOffAt + TEXT_PHOTOS_IN_FLIGHT - 1);
      expect(scans(engine)).toBeLessThan(6);
      expect(enqueueBackfills(engine.ctx)).toBe(0);
    } finally {
      engine.close();
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { SavedConcept } from '../../../src/common/api/search';
import type { XmpExportResult } from '../../../src/common/api/people';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { JobStore } from '../../../src/engine/library/job-store';
import { exportXmpSidecars, sidecarPath } from '../../../src/engine/people/xmp-export';
import { saveUserConcept, tagPhotosWithConcept } from '../../../src/engine/search/tags';
import { tinyClipImmichExport } from '../../fixtures/tiny-clip/immich-layout';
import { parseJson } from '../../support/cli';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { facetOk, jobPhotoCounts, jobsOf, query, waitFor } from './support';

const PHOTOS = 23; // faces-album

/**
 * Tag-concept and export-XMP are persistent jobs: the CLI runs them in the foreground with its old
 * output; the app's worker (an engine with `runJobs`) gets the job id at once and runs it in the
 * background; a run killed part way resumes without doing a photo twice.
 */
describeWithShared('jobs: tag a concept and export XMP through the queue', () => {
  const work = tempDir('facet-tag-export-jobs-');
  const library = path.join(work, 'library');
  const photos = path.join(work, 'photos'); // sidecars are written beside these copies
  const facet = (...args: string[]) => facetOk([...args, '--library', library, '--models', SHARED_MODELS]);
  const open = (runJobs = false) => Engine.open({ libraryDir: library, modelsDir: SHARED_MODELS, device: 'cpu', runJobs });
  /** A process that dies mid-job leaves its row 'running' with the photos it finished recorded. */
  const interrupted = (engine: Engine, kind: 'tag-concept' | 'export-xmp', params: object) => {
    const job = engine.ctx.jobs.enqueue(kind, params);
    const store = new JobStore(engine.library.db);
    store.markRunning(job.id);
    return { job, store };
  };

  beforeAll(async () => {
    fs.cpSync(sharedPhotos('faces-album'), photos, { recursive: true });
    await facet('index', photos);
    await facet('models', 'add', tinyClipImmichExport(path.join(work, 'exports')), '--id', 'tiny');
    await facet('index', photos); // runs the CLIP backfill
    const engine = open();
    try {
      const people = unwrap(await engine.call('people.list', {})).slice(0, 2);
      expect(people).toHaveLength(2);
      for (const [i, person] of people.entries()) unwrap(await engine.call('people.name', { id: person.id, name: `Person ${i}` }));
      await engine.runJobs();
    } finally {
      engine.close();
    }
  }, 600_000);

  it('facet tags --add runs a tag-concept job in the foreground: same output, every photo scored once', async () => {
    const out = await facet('tags', '--add', 'Red things', '--prompt', 'something red');
    const [, count] = /^saved "Red things" \(something red\): (\d+) photos tagged\n?$/.exec(out) ?? [];
    expect(Number(count)).toBeGreaterThan(0);
    const job = (await jobsOf(library)).find((j) => j.kind === 'tag-concept' && j.subject === 'Red things')!;
    expect(job).toMatchObject({ state: 'done', done: PHOTOS, total: PHOTOS, failed: 0 });
    expect(jobPhotoCounts(library, job.id)).toEqual({ rows: PHOTOS, distinct: PHOTOS });
    const tags = parseJson<{ tag: string; photos: number }[]>({ code: 0, stdout: await facet('tags', '--json'), stderr: '' });
    expect(tags.find((t) => t.tag === 'Red things')?.photos).toBe(Number(count));
    const json = JSON.parse(await facet('tags', '--add', 'Blue things', '--prompt', 'something blue', '--json')) as SavedConcept;
    expect(json).toMatchObject({ name: 'Blue things', pending: false });
    expect((await jobsOf(library)).find((j) => j.id === json.jobId)?.state).toBe('done');
  });

  it('a tag-concept job killed after some photos resumes in the worker without scoring one twice, and tags as a whole run does', async () => {
    const engine = open();
    let jobId: number;
    try {
      const clip = await engine.ctx.clip.search(engine.library);
      const saved = saveUserConcept(engine.library, clip, 'Red again', 'something red');
      const { job, store } = interrupted(engine, 'tag-concept', saved);
      jobId = job.id;
      let batches = 0;
      const stop = new Error('killed');
      await expect(
        tagPhotosWithConcept(engine.library, clip, saved.name, saved.prompt, {
          skip: new Set(),
          batchSize: 5,
          onTotal: (total) => store.setTotal(job.id, total),
          onPhotoScored: (_db, photoId) => store.photoDone(job.id, photoId),
          checkpoint: () => {
            if (++batches > 2) throw stop;
          },
        }),
      ).rejects.toBe(stop);
    } finally {
      engine.close();
    }
    expect(query(library, 'SELECT state, done FROM jobs WHERE id = ?', jobId)).toEqual([{ state: 'running', done: 10 }]);

    const worker = open(true);
    try {
      await waitFor(() => worker.ctx.jobs.get(jobId).state === 'done');
      expect(worker.ctx.jobs.get(jobId)).toMatchObject({ done: PHOTOS, total: PHOTOS, failed: 0 });
    } finally {
      await worker.shutdown();
    }
    expect(jobPhotoCounts(library, jobId)).toEqual({ rows: PHOTOS, distinct: PHOTOS });
    const tagged = (name: string) =>
      query<{ photo_id: number }>(library, 'SELECT photo_id FROM photo_tags WHERE tag = ? ORDER BY photo_id', name);
    expect(tagged('Red again').length).toBeGreaterThan(0);
    expect(tagged('Red again')).toEqual(tagged('Red things')); // same prompt, one run without interruption
  });

  it('in the app the worker answers "Save as tag" at once with the job id, tags in the background, then says tags changed', async () => {
    const worker = open(true);
    const events: string[] = [];
    const emit = worker.ctx.emit;
    worker.ctx.emit = (event, payload) => {
      events.push(`${event}:${(payload as { reason?: string }).reason}`);
      emit(event, payload);
    };
    try {
      const saved = unwrap(await worker.call('search.addConcept', { name: 'Green things', prompt: 'something green' }));
      expect(saved).toMatchObject({ name: 'Green things', pending: true });
      expect(unwrap(await worker.call('search.tags', {})).find((t) => t.tag === 'Green things')).toMatchObject({ source: 'user' });
      await waitFor(() => worker.ctx.jobs.get(saved.jobId).state === 'done');
      expect(worker.ctx.jobs.get(saved.jobId)).toMatchObject({ kind: 'tag-concept', done: PHOTOS });
      expect(events.filter((e) => e === 'library.changed:tags')).toHaveLength(2); // saved, then tagged
    } finally {
      await worker.shutdown();
    }
  });

  it('facet export-xmp runs an export-xmp job with the same output; the app gets the job id at once', async () => {
    const out = await facet('export-xmp');
    const [, written] = /^Wrote (\d+) sidecars?\.\n?$/.exec(out) ?? [];
    expect(Number(written)).toBeGreaterThan(1);
    const job = (await jobsOf(library)).find((j) => j.kind === 'export-xmp')!;
    expect(job).toMatchObject({ state: 'done', done: Number(written), total: Number(written) });
    expect(fs.readdirSync(photos).filter((f) => f.endsWith('.xmp'))).toHaveLength(Number(written));

    const worker = open(true);
    try {
      const started = unwrap(await worker.call('people.exportXmp', {}));
      expect(started).toMatchObject({ written: 0, pending: true });
      await waitFor(() => worker.ctx.jobs.get(started.jobId!).state === 'done');
      expect(worker.ctx.jobs.get(started.jobId!)).toMatchObject({ done: Number(written) });
    } finally {
      await worker.shutdown();
    }
  });

  it('an export-xmp job killed part way resumes in the worker and does not write a finished sidecar again', async () => {
    const engine = open();
    let jobId: number;
    const early: string[] = [];
    try {
      const { job, store } = interrupted(engine, 'export-xmp', {});
      jobId = job.id;
      const stop = new Error('killed');
      const paths = new Map(query<{ id: number; path: string }>(library, 'SELECT id, path FROM photos').map((p) => [p.id, p.path]));
      expect(() =>
        exportXmpSidecars(engine.library, {
          onTotal: (total) => store.setTotal(job.id, total),
          onPhotoWritten: (photoId) => {
            store.photoDone(job.id, photoId);
            early.push(sidecarPath(paths.get(photoId)!));
          },
          checkpoint: () => {
            if (early.length === 2) throw stop;
          },
        }),
      ).toThrow(stop);
    } finally {
      engine.close();
    }
    const past = new Date('2001-01-01T00:00:00Z');
    for (const file of early) fs.utimesSync(file, past, past); // a rewrite would move these
    const worker = open(true);
    let result: XmpExportResult;
    try {
      await waitFor(() => worker.ctx.jobs.get(jobId).state === 'done');
      result = { written: worker.ctx.jobs.get(jobId).done, skipped: [] };
      expect(worker.ctx.jobs.get(jobId)).toMatchObject({ failed: 0 });
      expect(result.written).toBe(worker.ctx.jobs.get(jobId).total);
    } finally {
      await worker.shutdown();
    }
    expect(jobPhotoCounts(library, jobId)).toEqual({ rows: result.written, distinct: result.written });
    for (const file of early) expect(fs.statSync(file).mtime.getTime()).toBe(past.getTime());
  });
});

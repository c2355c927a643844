import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { LibraryStatus } from '../../../src/common/api/library';
import type { ModelStatus } from '../../../src/common/api/models';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { tinyClipImmichExport } from '../../fixtures/tiny-clip/immich-layout';
import { type ModelServer, startModelServer } from '../models/loopback-model-server';
import { parseJson, runFacet } from '../../support/cli';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { captionPhotos, facetOk, jobPhotoCounts, jobsOf, killWhen, query, waitFor } from './support';

/**
 * The journeys of issue #10, as a user takes them, with the real `facet` command in child processes,
 * real models from ../shared (the tiny CLIP laid out as an Immich export), SIGKILL where a user quits
 * hard, and the library read from outside to check that no photo was done twice.
 */
describeWithShared(
  'journeys: first run, CLIP later, switching models, editing while indexing, quitting mid-job',
  { timeout: 300_000 },
  () => {
    const work = tempDir('facet-journeys-');
    const PHOTOS = 300;
    let photos: string;
    let exportDir: string;

    beforeAll(() => {
      photos = captionPhotos(path.join(work, 'photos'), PHOTOS);
      exportDir = tinyClipImmichExport(path.join(work, 'exports'));
    });

    it('1. first run with no models and a mirror: indexing does not wait, one command installs, people appear', async () => {
      const library = path.join(work, 'first-run');
      const album = sharedPhotos('faces-album');
      const first = await runFacet(['index', album, '--library', library]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^indexed 23, /);
      expect(first.stderr).toMatch(/facet models download --defaults/); // the one command, named
      const thumbs = query<{ thumbnail: string; face_model_id: string | null }>(
        library,
        "SELECT thumbnail, face_model_id FROM photos WHERE status = 'indexed'",
      );
      expect(thumbs).toHaveLength(23); // indexing did not wait for a model: thumbnails and dates are there
      for (const t of thumbs) expect(fs.existsSync(path.join(library, 'thumbs', t.thumbnail)), t.thumbnail).toBe(true);
      expect(thumbs.every((t) => t.face_model_id === null)).toBe(true);

      const server: ModelServer = await startModelServer(SHARED_MODELS);
      try {
        const mirror = `${server.url}/mirror`;
        const download = await runFacet(['models', 'download', '--defaults', '--json', '--library', library], {
          env: { FACET_MODEL_MIRROR: mirror },
        });
        expect(download.code, download.stderr).toBe(0);
        const installed = parseJson<ModelStatus[]>(download);
        expect(installed.map((m) => [m.id, m.installed])).toEqual([
          ['yunet-s-dynamic', true],
          ['mobilefacenet-128', true],
        ]);
        // URL/<model id>/<file name>, nothing else fetched (no unused object detector).
        expect(server.requests.map((r) => r.url).sort()).toEqual([
          '/mirror/mobilefacenet-128/face_recognition_mobilefacenet_128.onnx',
          '/mirror/yunet-s-dynamic/face_detection_yunet_s_dynamic.onnx',
        ]);
      } finally {
        await server.close();
      }

      const again = await runFacet(['index', album, '--library', library]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/done: backfill-faces faces: 23\/23/);
      const jobs = await jobsOf(library);
      expect(jobs.find((j) => j.kind === 'backfill-faces')).toMatchObject({ state: 'done', done: 23, total: 23, failed: 0 });
      const people = parseJson<{ id: number; faceCount: number }[]>(await runFacet(['people', '--json', '--library', library]));
      expect(people.length).toBeGreaterThanOrEqual(2);
      expect(people.reduce((n, p) => n + p.faceCount, 0)).toBeGreaterThan(10);
    });

    it('a broken CLIP folder gets a clear error and installs nothing', async () => {
      const library = path.join(work, 'broken');
      fs.mkdirSync(path.join(work, 'nothing'), { recursive: true });
      await facetOk(['index', path.join(work, 'nothing'), '--library', library]);
      const broken = path.join(work, 'broken-export');
      fs.cpSync(exportDir, broken, { recursive: true });
      fs.rmSync(path.join(broken, 'textual', 'tokenizer_config.json'));
      const missing = await runFacet(['models', 'add', broken, '--library', library]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/not an Immich\/open_clip CLIP export: missing textual\/tokenizer_config\.json/);
      fs.cpSync(exportDir, broken, { recursive: true });
      fs.writeFileSync(path.join(broken, 'visual', 'model.onnx'), 'not a model');
      const notOnnx = await runFacet(['models', 'add', broken, '--library', library]);
      expect(notOnnx.code).toBe(2);
      expect(notOnnx.stderr).toMatch(/encoders do not load/);
      fs.cpSync(exportDir, broken, { recursive: true });
      const config = JSON.parse(fs.readFileSync(path.join(broken, 'config.json'), 'utf8')) as { embed_dim: number };
      fs.writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ ...config, embed_dim: 16 }));
      const wrongShape = await runFacet(['models', 'add', broken, '--library', library]);
      expect(wrongShape.code).toBe(2);
      expect(wrongShape.stderr).toMatch(/produced 8-d embeddings; its manifest says 16/);
      const models = parseJson<ModelStatus[]>(await runFacet(['models', '--json', '--library', library]));
      expect(models.filter((m) => m.source === 'user')).toEqual([]);
      expect(fs.existsSync(path.join(library, 'models', 'broken-export'))).toBe(false);
    });

    it('2. CLIP later: every earlier photo becomes searchable; a backfill killed half way finishes with no photo embedded twice', async () => {
      const library = path.join(work, 'clip-later');
      expect(await facetOk(['index', photos, '--library', library, '--models', SHARED_MODELS])).toMatch(new RegExp(`^indexed ${PHOTOS}, `));
      expect(query(library, 'SELECT 1 FROM photo_embeddings')).toHaveLength(0);

      const added = await facetOk(['models', 'add', exportDir, '--id', 'tiny-a', '--library', library]);
      expect(added).toMatch(/Added tiny-a .*\nQueued: backfill-clip tiny-a/);
      const listed = parseJson<ModelStatus[]>(await runFacet(['models', '--json', '--library', library]));
      expect(listed.find((m) => m.id === 'tiny-a')).toMatchObject({ installed: true, source: 'user', task: 'clip' });
      expect(await facetOk(['models', '--library', library])).toMatch(/tiny-a .*added by the user/);

      const backfillDone = () => query<{ done: number }>(library, "SELECT done FROM jobs WHERE kind = 'backfill-clip'")[0]?.done ?? 0;
      const kill = await killWhen(['index', photos, '--library', library, '--models', SHARED_MODELS], library, () => backfillDone() >= 40);
      expect(kill.killed, kill.stderr).toBe(true);
      const cut = backfillDone();
      expect(cut).toBeGreaterThanOrEqual(40);
      expect(cut).toBeLessThan(PHOTOS);
      const orphan = (await jobsOf(library)).find((j) => j.kind === 'backfill-clip')!;
      expect(orphan.state).toBe('running'); // its process died; the next run resumes it

      await facetOk(['index', photos, '--library', library, '--models', SHARED_MODELS]);
      const job = (await jobsOf(library)).find((j) => j.kind === 'backfill-clip')!;
      expect(job).toMatchObject({ id: orphan.id, state: 'done', done: PHOTOS, total: PHOTOS, failed: 0 });
      expect(jobPhotoCounts(library, job.id)).toEqual({ rows: PHOTOS, distinct: PHOTOS });
      expect(query(library, "SELECT count(*) AS n FROM photo_embeddings WHERE model_id = 'tiny-a'")).toEqual([{ n: PHOTOS }]);

      const hits = parseJson<{ photo: string; score: number }[]>(
        await runFacet(['search', 'red', '--json', '--limit', '1000', '--min-score', '-1', '--library', library]),
      );
      expect(hits).toHaveLength(PHOTOS); // every earlier photo is searchable
      expect(parseJson<unknown[]>(await runFacet(['search', 'red', '--json', '--min-score', '1', '--library', library]))).toEqual([]);
      const status = parseJson<LibraryStatus>(await runFacet(['status', '--json', '--library', library]));
      expect(status.clipCoverage).toEqual([{ modelId: 'tiny-a', photos: PHOTOS, installed: true, search: true }]);
      expect(status.jobs.map((j) => j.kind)).toContain('backfill-clip');
    });

    it('3. switching models: search stays on the old model while the new one is backfilled, then moves over', async () => {
      const library = path.join(work, 'clip-later');
      await facetOk(['models', 'add', exportDir, '--id', 'tiny-b', '--library', library]);
      const doneB = () => query<{ n: number }>(library, "SELECT count(*) AS n FROM photo_embeddings WHERE model_id = 'tiny-b'")[0]!.n;
      const kill = await killWhen(['index', photos, '--library', library], library, () => doneB() >= 30);
      expect(kill.killed, kill.stderr).toBe(true);

      const during = parseJson<LibraryStatus>(await runFacet(['status', '--json', '--library', library]));
      const coverage = Object.fromEntries(during.clipCoverage.map((c) => [c.modelId, c]));
      expect(coverage['tiny-a']).toMatchObject({ photos: PHOTOS, search: true });
      expect(coverage['tiny-b']!.photos).toBeGreaterThanOrEqual(30);
      expect(coverage['tiny-b']!.photos).toBeLessThan(PHOTOS);
      expect(coverage['tiny-b']!.search).toBe(false);
      // Search answers from the old model, over the whole library, while the new one is incomplete.
      expect(
        parseJson<unknown[]>(await runFacet(['search', 'red', '--json', '--limit', '1000', '--min-score', '-1', '--library', library])),
      ).toHaveLength(PHOTOS);

      await facetOk(['index', photos, '--library', library]);
      const after = parseJson<LibraryStatus>(await runFacet(['status', '--json', '--library', library]));
      expect(after.clipCoverage.find((c) => c.search)).toMatchObject({ modelId: 'tiny-b', photos: PHOTOS });
      const job = (await jobsOf(library)).find((j) => j.kind === 'backfill-clip' && j.subject === 'tiny-b')!;
      expect(jobPhotoCounts(library, job.id)).toEqual({ rows: PHOTOS, distinct: PHOTOS });
      expect(
        parseJson<unknown[]>(await runFacet(['search', 'red', '--json', '--limit', '1000', '--min-score', '-1', '--library', library])),
      ).toHaveLength(PHOTOS);
    });

    it('4. editing people while an index run goes: edits kept, only the job runner re-clusters, then restart', async () => {
      const library = path.join(work, 'editing');
      await facetOk(['index', sharedPhotos('faces-celebs'), '--library', library, '--models', SHARED_MODELS]);
      const people = parseJson<{ id: number; faceCount: number }[]>(await runFacet(['people', '--json', '--library', library]));
      expect(people.length).toBeGreaterThanOrEqual(3);
      const [alice, bob, carol] = people;

      const indexJobRunning = () =>
        query<{ done: number }>(library, "SELECT done FROM jobs WHERE kind = 'index' AND state = 'running'")[0]?.done ?? 0;
      const indexing = runFacet(['index', photos, '--library', library, '--models', SHARED_MODELS]);
      while (indexJobRunning() < 5) await new Promise((resolve) => setTimeout(resolve, 20));

      // The app's main process: edits as plain SQL, no runner of its own.
      const app = Engine.open({ libraryDir: library, modelsDir: SHARED_MODELS, device: 'cpu' });
      try {
        unwrap(await app.call('people.name', { id: alice!.id, name: 'Alice' }));
        unwrap(await app.call('people.merge', { id: carol!.id, into: bob!.id }));
        unwrap(await app.call('people.name', { id: bob!.id, name: 'Bob' }));
        expect(unwrap(await app.call('people.get', { id: alice!.id })).name).toBe('Alice');
        const resuggest = app.ctx.jobs.list().filter((j) => j.kind === 'resuggest');
        expect(resuggest).toHaveLength(1); // three edits, one debounced job
        expect(resuggest[0]!.state).toBe('queued');
        // Another process holds the writer lock: this one does not re-cluster, it leaves the job queued.
        await app.runJobs({ kinds: ['resuggest'] });
        expect(app.ctx.jobs.get(resuggest[0]!.id).state).toBe('queued');
      } finally {
        app.close();
      }
      const run = await indexing;
      expect(run.code, run.stderr).toBe(0);
      // The indexing process ran the queued re-suggest after its own job: one writer of the graph.
      const jobs = await jobsOf(library);
      expect(jobs.filter((j) => j.kind === 'resuggest').map((j) => j.state)).toEqual(['done']);

      // Restart: the edits are kept.
      const after = parseJson<{ id: number; name: string | null; faceCount: number }[]>(
        await runFacet(['people', '--json', '--library', library]),
      );
      expect(after.find((p) => p.id === alice!.id)?.name).toBe('Alice');
      expect(after.find((p) => p.id === bob!.id)).toMatchObject({ name: 'Bob' });
      expect(after.find((p) => p.id === bob!.id)!.faceCount).toBeGreaterThanOrEqual(bob!.faceCount + carol!.faceCount);
      expect(after.some((p) => p.id === carol!.id)).toBe(false);
      expect(query(library, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    });

    it('5. quitting mid-job: a killed index job and a gracefully stopped backfill both resume on the next start', async () => {
      const library = path.join(work, 'quitting');
      const indexDone = () => query<{ done: number }>(library, "SELECT done FROM jobs WHERE kind = 'index'")[0]?.done ?? 0;
      const kill = await killWhen(['index', photos, '--library', library, '--models', SHARED_MODELS], library, () => indexDone() >= 50);
      expect(kill.killed, kill.stderr).toBe(true);
      const orphan = (await jobsOf(library)).find((j) => j.kind === 'index')!;
      expect(orphan.state).toBe('running');
      expect(orphan.done).toBeLessThan(PHOTOS);

      // The app starts: its worker's runner resumes the job by itself.
      const worker = Engine.open({ libraryDir: library, modelsDir: SHARED_MODELS, device: 'cpu', runJobs: true });
      try {
        await waitFor(() => worker.ctx.jobs.get(orphan.id).state === 'done');
        expect(worker.ctx.jobs.get(orphan.id)).toMatchObject({ done: PHOTOS, total: PHOTOS, failed: 0 });
        expect(jobPhotoCounts(library, orphan.id)).toEqual({ rows: PHOTOS, distinct: PHOTOS });
        expect(unwrap(await worker.call('library.status', {})).counts).toMatchObject({ indexed: PHOTOS, photos: PHOTOS });

        unwrap(await worker.call('models.add', { folder: exportDir, id: 'tiny-a' }));
        const backfill = () => worker.ctx.jobs.list().find((j) => j.kind === 'backfill-clip');
        await waitFor(() => (backfill()?.done ?? 0) >= 30);
      } finally {
        await worker.shutdown(); // quit: the job stops after the photo in hand
      }
      const stopped = (await jobsOf(library)).find((j) => j.kind === 'backfill-clip')!;
      expect(stopped.state).toBe('queued');
      expect(stopped.done).toBeLessThan(PHOTOS);

      const next = Engine.open({ libraryDir: library, modelsDir: SHARED_MODELS, device: 'cpu', runJobs: true });
      try {
        await waitFor(() => next.ctx.jobs.get(stopped.id).state === 'done');
        expect(next.ctx.jobs.get(stopped.id)).toMatchObject({ done: PHOTOS, total: PHOTOS, failed: 0 });
        expect(jobPhotoCounts(library, stopped.id)).toEqual({ rows: PHOTOS, distinct: PHOTOS });
      } finally {
        await next.shutdown();
      }
    });
  },
);

import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dispatch } from '../../src/engine/api/dispatch';
import { apiHandlers } from '../../src/engine/api/handlers';
import { SessionPool } from '../../src/engine/ml/runtime/session-pool';
import { ClipModels } from '../../src/engine/search/clip-loader';
import { JobRunner } from '../../src/engine/jobs/job-runner';
import { JOB_HANDLERS } from '../../src/engine/jobs/kinds';
import type { EngineContext } from '../../src/engine/context';
import type { Engine } from '../../src/engine/engine';
import { IndexController } from '../../src/engine/indexing/index-controller';
import type { Library } from '../../src/engine/library/library';
import { modelManifestSchema } from '../../src/engine/models/manifest-schema';
import { ModelManager } from '../../src/engine/models/model-manager';
import { searchHandlers } from '../../src/engine/api/search-handlers';
import { registerSearchCommands } from '../../src/cli/commands/search';
import { createCliContext, exitCodeFor } from '../../src/cli/context';
import { describeWithShared } from '../support/shared';
import { tempDir } from '../support/temp';
import { indexSharedPhotos } from '../engine/search/indexed-library';
import { loadTinyClip } from '../engine/search/tiny-clip-model';
import { createPerson } from '../../src/engine/library/people-store';

describeWithShared('facet search / similar / tags / duplicates through the API contract', () => {
  let library: Library;
  let modelsRoot: string;
  let manifestPath: string;

  beforeAll(async () => {
    const { tiny, clip } = await loadTinyClip();
    modelsRoot = path.dirname(tiny.modelDir);
    manifestPath = tiny.manifestPath;
    ({ library } = await indexSharedPhotos(clip, 10));
    createPerson(library.db, 'Ada');
  });
  afterAll(() => library?.close());

  /** Runs a command line against this library the way bin/facet does; returns stdout or the exit code. */
  async function facet(
    args: string[],
    models = { root: modelsRoot, manifest: manifestPath },
  ): Promise<{ out: string; code: number; error?: string }> {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => (out += String(chunk)));
    const cli = createCliContext(stdout, new PassThrough());
    const manifest = modelManifestSchema.parse(JSON.parse(fs.readFileSync(models.manifest, 'utf8')));
    const modelManager = new ModelManager({ libraryModelsDir: library.paths.models, modelsDir: models.root, manifest });
    const sessions = new SessionPool();
    const ctx = {
      library,
      sessions,
      clip: new ClipModels(modelManager, sessions, 'cpu'),
      models: modelManager,
      device: 'cpu',
      indexer: new IndexController({ library }),
      faceModels: () => Promise.reject(new Error('not needed')),
      ocrModels: () => Promise.reject(new Error('not needed')),
      readText: false,
      emit: () => {},
    } as Omit<EngineContext, 'jobs'> as EngineContext;
    ctx.jobs = new JobRunner(ctx, JOB_HANDLERS);
    const engine = {
      library,
      call: (channel: unknown, input: unknown) => dispatch(ctx, { ...apiHandlers, ...searchHandlers }, channel, input),
      close: () => {},
    } as unknown as Engine;
    cli.withEngine = (_options, work) => work(engine) as never;
    const program = new Command('facet').exitOverride();
    registerSearchCommands(program, cli);
    try {
      await program.parseAsync(['node', 'facet', ...args]);
      return { out, code: 0 };
    } catch (error) {
      return { out, code: exitCodeFor(error), error: (error as Error).message };
    }
  }

  it('prints [{"photo","score","takenAt"}] for a query, best first', async () => {
    const { out, code } = await facet(['search', 'red', '--limit', '3', '--json']);
    expect(code).toBe(0);
    const hits = JSON.parse(out) as { photo: string; score: number; takenAt: string | null }[];
    expect(hits).toHaveLength(3);
    expect(Object.keys(hits[0]!).sort()).toEqual(['photo', 'score', 'takenAt']);
    expect(path.isAbsolute(hits[0]!.photo)).toBe(true);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('gives clear errors and non-zero exits for bad input', async () => {
    expect(await facet(['search', '', '--json'])).toMatchObject({ code: 2, error: expect.stringContaining('empty') });
    expect(await facet(['search', 'red', '--person', 'Zed', '--json'])).toMatchObject({
      code: 1,
      error: expect.stringContaining('No person named "Zed"'),
    });
    expect(await facet(['search', 'red', '--from', '2024-05-01', '--to', '2024-01-01'])).toMatchObject({
      code: 2,
      error: expect.stringContaining('inverted'),
    });
    expect(await facet(['search', 'red', '--from', '2024-13-45'])).toMatchObject({
      code: 2,
      error: expect.stringContaining('--from 2024-13-45 is not a real day'),
    });
    // 30 February: Date.parse would roll it over to 2 March
    expect(await facet(['search', 'red', '--from', '2025-02-30'])).toMatchObject({
      code: 2,
      error: "--from 2025-02-30 is not a real day (check the month's length).",
    });
    expect(await facet(['search', 'red', '--to', '2025-04-31'])).toMatchObject({
      code: 2,
      error: expect.stringContaining('--to 2025-04-31 is not a real day'),
    });
    expect(await facet(['search', 'red', '--today', '27-11-2026'])).toMatchObject({
      code: 2,
      error: '--today must be a date written YYYY-MM-DD (got "27-11-2026").',
    });
    expect(await facet(['search', 'red', '--from', '2024-02-29', '--json'])).toMatchObject({ code: 0 });
    // the schema's own words ("photoText.0: Too small…", "photoId: Too small…") never reach the user
    expect(await facet(['search', '--text', ' '])).toMatchObject({
      code: 2,
      error: expect.stringMatching(/^--text needs a word or phrase/),
    });
    expect(await facet(['similar', '0'])).toMatchObject({
      code: 2,
      error: 'Photo ids are whole numbers from 1 (got 0); give a photo id or a path.',
    });
    expect(await facet(['search', 'red', '--limit', '12abc'])).toMatchObject({ code: 2, error: expect.stringContaining('--limit') });
    const long = await facet(['search', Array.from({ length: 500 }, () => 'red').join(' '), '--json']);
    expect(long.code).toBe(0);
  });

  it('says how to download a CLIP model when none is installed', async () => {
    const result = await facet(['search', 'red'], { root: tempDir(), manifest: manifestPath });
    expect(result).toMatchObject({ code: 1, error: expect.stringContaining('facet models download tiny-clip-colours') });
  });

  it('reports a corrupt model file', async () => {
    const root = tempDir();
    fs.cpSync(path.join(modelsRoot, 'tiny-clip-colours'), path.join(root, 'tiny-clip-colours'), { recursive: true });
    const visual = path.join(root, 'tiny-clip-colours', 'visual', 'model.onnx');
    const bytes = fs.readFileSync(visual);
    bytes[bytes.length - 10]! ^= 0xff;
    fs.writeFileSync(visual, bytes);
    const result = await facet(['search', 'red'], { root, manifest: manifestPath });
    expect(result.code).toBe(1);
    expect(result.error).toMatch(/tiny-clip-colours|model\.onnx/);
    expect(result.error).toMatch(/corrupt|damaged|sha256|checksum|verif/i);
  });

  it('lists tags, finds similar photos by path or id, and groups duplicates', async () => {
    const tags = JSON.parse((await facet(['tags', '--json'])).out) as { tag: string; photos: number }[];
    expect(tags.length).toBeGreaterThan(0);
    const [first] = JSON.parse((await facet(['search', 'red', '--limit', '1', '--json'])).out) as { photo: string }[];
    const byPath = JSON.parse((await facet(['similar', first!.photo, '--limit', '4', '--json'])).out) as { photo: string }[];
    expect(byPath).toHaveLength(4);
    expect(byPath.map((h) => h.photo)).not.toContain(first!.photo);
    const id = (library.db.prepare('SELECT id FROM photos WHERE path = ?').get(first!.photo) as { id: number }).id;
    expect(JSON.parse((await facet(['similar', String(id), '--limit', '4', '--json'])).out)).toEqual(byPath);
    expect(await facet(['similar', '/no/such/photo.jpg'])).toMatchObject({ code: 1 });
    const groups = JSON.parse((await facet(['duplicates', '--no-embeddings', '--json'])).out) as unknown[];
    expect(Array.isArray(groups)).toBe(true);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { dot } from '../../../src/engine/ml/vector-math';
import { bundledManifest } from '../../../src/engine/models/manifest';
import { findImageVectorTable, readImageVector } from '../../../src/engine/library/image-vectors';
import { promptFor } from '../../../src/engine/search/text-search';
import { TINY_CLIP_ID, generateTinyClip } from '../../fixtures/tiny-clip/generate';
import { SHARED_MODELS, describeWithShared, sharedModel, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

/**
 * The whole product path: `Engine.index` (the spine's pipeline with faces, perceptual hash and the
 * CLIP stage wired in by buildAnalyzers), then the `search.*` channels through the engine's dispatch.
 * The tiny CLIP is installed where a download would put it and added to the bundled manifest.
 */
describeWithShared('search through the real engine: facet index, then the search channels', () => {
  let engine: Engine;
  let folder: string;

  beforeAll(async () => {
    const dir = tempDir('facet-search-engine-');
    folder = path.join(dir, 'photos');
    fs.mkdirSync(folder);
    const objects = sharedPhotos('objects');
    for (const file of fs
      .readdirSync(objects)
      .sort()
      .filter((_, i) => i % 3 === 0))
      fs.copyFileSync(path.join(objects, file), path.join(folder, file));
    const tiny = generateTinyClip(path.join(dir, 'tiny'), sharedModel('clip_bpe_simple_vocab_16e6.txt.gz'));
    const bundled = bundledManifest();
    engine = Engine.open({
      libraryDir: path.join(dir, 'library'),
      modelsDir: SHARED_MODELS,
      device: 'cpu',
      manifest: { ...bundled, models: [...bundled.models, { ...tiny.entry, default: false }] },
    });
    fs.cpSync(tiny.modelDir, path.join(engine.library.paths.models, TINY_CLIP_ID), { recursive: true });
    const result = await engine.index([folder]);
    expect(result.failed).toBe(0);
  }, 300_000);
  afterAll(() => engine?.close());

  it('embeds, hashes and tags every photo during facet index', () => {
    const db = engine.library.db;
    const photos = (db.prepare("SELECT count(*) AS n FROM photos WHERE status = 'indexed'").get() as { n: number }).n;
    expect(photos).toBe(fs.readdirSync(folder).length);
    expect((db.prepare('SELECT count(*) AS n FROM photo_embeddings WHERE model_id = ?').get(TINY_CLIP_ID) as { n: number }).n).toBe(photos);
    expect((db.prepare('SELECT count(*) AS n FROM photos WHERE perceptual_hash IS NOT NULL').get() as { n: number }).n).toBe(photos);
  });

  it('answers search.query with the photos ranked by their stored vectors', async () => {
    const hits = unwrap(await engine.call('search.query', { text: 'red', limit: 5, minScore: -1 }));
    expect(hits).toHaveLength(5);
    const db = engine.library.db;
    const table = findImageVectorTable(db, TINY_CLIP_ID)!;
    const clip = await engine.ctx.clip.search(engine.library);
    const query = await clip.embedText(promptFor(clip, 'red'));
    const ids = db.prepare("SELECT id FROM photos WHERE status = 'indexed'").pluck().all() as number[];
    const expected = ids
      .map((id) => ({ id, score: dot(query, readImageVector(db, table, id)!) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);
    expect(hits.map((h) => h.photoId)).toEqual(expected.map((e) => e.id));
    expect(hits.every((h) => h.photo.startsWith(folder))).toBe(true);
  });

  it('refuses an empty query and an unknown person with the envelope error codes', async () => {
    expect(await engine.call('search.query', { text: '' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await engine.call('search.query', { text: 'red', people: ['Nobody Here'] })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await engine.call('search.query', { text: 'red', limit: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('serves tags, similar photos and duplicates from the same library', async () => {
    expect(unwrap(await engine.call('search.tags', {})).length).toBeGreaterThan(0);
    const [top] = unwrap(await engine.call('search.query', { text: 'blue', limit: 1, minScore: -1 }));
    const similar = unwrap(await engine.call('search.similar', { photoId: top!.photoId, limit: 3 }));
    expect(similar.map((h) => h.photoId)).not.toContain(top!.photoId);
    expect(unwrap(await engine.call('search.duplicates', { useEmbeddings: false }))).toEqual([]);
  });

  it('a saved concept tells the app that tags changed, not that photos were indexed (the grid and People stay as they are)', async () => {
    const events: [string, unknown][] = [];
    const emit = engine.ctx.emit;
    engine.ctx.emit = (event, payload) => events.push([event, payload]);
    try {
      const saved = unwrap(await engine.call('search.addConcept', { name: 'crimson thing', prompt: 'a photo of something red' }));
      expect(saved).toMatchObject({ name: 'crimson thing', pending: false });
      expect(engine.ctx.jobs.get(saved.jobId)).toMatchObject({ kind: 'tag-concept', state: 'done' });
    } finally {
      engine.ctx.emit = emit;
    }
    // Saved (listed at once), then tagged by its job: tags changed twice, photos never; the rest is the queue's progress.
    expect(events.filter(([event]) => event !== 'jobs.changed')).toEqual([
      ['library.changed', { reason: 'tags' }],
      ['library.changed', { reason: 'tags' }],
    ]);
    expect(unwrap(await engine.call('search.tags', {})).find((t) => t.tag === 'crimson thing')).toMatchObject({ source: 'user' });
  });
});

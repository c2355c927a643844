import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { LATEST_SCHEMA_VERSION } from '../../src/engine/library/migrations';
import { SHARED_MODELS, describeWithShared } from '../support/shared';
import { tempDir } from '../support/temp';
import { type ChildRun, runFacetChild, startFacet } from './support/child';
import { integrityCheck, photoRows } from './support/library-check';
import { ALBUM_SAMPLE, copyAlbumPhotos } from './support/photos';
import { setSetting } from '../../src/engine/library/settings-store';

const BUSY_MESSAGE = /^facet: The library is busy/m;

/** Polls the library from this process (as the app's grid would) while `until` runs; returns the slowest read and edit. */
async function pollWhile(
  libraryDir: string,
  until: Promise<unknown>,
): Promise<{ reads: number; slowestReadMs: number; edits: number; slowestEditMs: number }> {
  let finished = false;
  void until.finally(() => (finished = true));
  const stats = { reads: 0, slowestReadMs: 0, edits: 0, slowestEditMs: 0 };
  let db: Database.Database | null = null;
  while (!finished) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    try {
      db ??= new Database(path.join(libraryDir, 'facet.db'), { fileMustExist: true, timeout: 5000 });
    } catch {
      continue; // the first run has not created the library yet
    }
    if ((db.pragma('user_version', { simple: true }) as number) < LATEST_SCHEMA_VERSION) continue; // nor its tables
    let t = performance.now();
    db.prepare('SELECT p.path, (SELECT count(*) FROM faces f WHERE f.photo_id = p.id) FROM photos p ORDER BY p.id LIMIT 500').all();
    stats.slowestReadMs = Math.max(stats.slowestReadMs, performance.now() - t);
    stats.reads++;
    if (stats.reads % 8 === 0) {
      // A user's edit (as naming a person would be): a short write between the indexer's transactions.
      t = performance.now();
      setSetting(db, 'hardening.edit', String(stats.edits));
      stats.slowestEditMs = Math.max(stats.slowestEditMs, performance.now() - t);
      stats.edits++;
    }
  }
  db?.close();
  return stats;
}

describeWithShared('concurrent access: one writer at a time, readers never blocked', () => {
  const work = tempDir('facet-concurrent-');
  const photos = path.join(work, 'photos');
  const index = (lib: string) => ['index', photos, '--library', lib, '--models', SHARED_MODELS, '--device', 'cpu'];

  beforeAll(() => {
    copyAlbumPhotos(ALBUM_SAMPLE, photos);
  });

  it('two `facet index` runs started together: no crash, no duplicate, the loser says "busy"', async () => {
    const library = path.join(work, 'race');
    const a = startFacet(index(library));
    const b = startFacet(index(library));
    const both = Promise.all([a.done, b.done]);
    const poll = await pollWhile(library, both);
    const runs: ChildRun[] = await both;
    console.info(
      `concurrent: ${poll.reads} reads (slowest ${poll.slowestReadMs.toFixed(1)} ms), ${poll.edits} edits (slowest ${poll.slowestEditMs.toFixed(1)} ms) during two index runs`,
    );
    for (const run of runs) {
      expect(run.signal).toBeNull();
      expect([0, 1], run.stderr).toContain(run.code);
      if (run.code === 1) expect(run.stderr).toMatch(BUSY_MESSAGE);
    }
    expect(runs.some((r) => r.code === 0)).toBe(true);
    const indexed = runs.filter((r) => r.code === 0).map((r) => Number(/^indexed (\d+)/.exec(r.stdout)?.[1]));
    expect(indexed.reduce((x, y) => x + y, 0)).toBe(ALBUM_SAMPLE.length); // each photo analysed by exactly one run
    expect(integrityCheck(library)).toBe('ok');
    const rows = photoRows(library);
    expect(rows).toHaveLength(ALBUM_SAMPLE.length);
    expect(rows.every((r) => r.status === 'indexed')).toBe(true);
    expect(poll.slowestReadMs).toBeLessThan(250);
    expect(poll.slowestEditMs).toBeLessThan(2000);
  });

  it('while the app indexes (paused mid-run), the CLI can read, and a second indexer is told the library is busy', async () => {
    const library = path.join(work, 'app');
    let sawProgress!: () => void;
    const progressed = new Promise<void>((resolve) => (sawProgress = resolve));
    const app = Engine.open({
      libraryDir: library,
      modelsDir: SHARED_MODELS,
      device: 'cpu',
      onEvent: (event, payload) => event === 'index.progress' && (payload as { done: number }).done >= 2 && sawProgress(),
    });
    try {
      const appRun = app.index([photos]);
      await progressed;
      app.ctx.indexer.pause(); // the app's run holds the library's writer lock for as long as it is paused

      const reader = await runFacetChild(['files', '--json', '--library', library]);
      expect(reader.code, reader.stderr).toBe(0);
      expect((JSON.parse(reader.stdout) as unknown[]).length).toBeGreaterThanOrEqual(2);

      const second = await runFacetChild(index(library));
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(BUSY_MESSAGE);
      expect(second.ms).toBeGreaterThanOrEqual(5000); // it waited the busy timeout first
      expect(second.ms).toBeLessThan(30_000);

      app.ctx.indexer.resume();
      const result = await appRun;
      expect(result.indexed).toBe(ALBUM_SAMPLE.length);
    } finally {
      app.close();
    }
    expect(integrityCheck(library)).toBe('ok');
    const after = await runFacetChild(index(library));
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/^indexed 0, unchanged 12,/);
  });

  it('a write lock held longer than the busy timeout gives "library is busy" (exit 1), not a crash', async () => {
    const library = path.join(work, 'held');
    expect(
      (await runFacetChild(['index', path.join(photos, '..', 'nothing-here'), '--library', library, '--models', SHARED_MODELS])).code,
    ).toBe(0);
    const holder = new Database(path.join(library, 'facet.db'));
    try {
      holder.exec('BEGIN IMMEDIATE');
      const run = await runFacetChild(index(library));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(BUSY_MESSAGE);
      expect(run.stderr).not.toMatch(/at .*\.(ts|js|cjs):\d+/); // a message, not a stack trace
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(integrityCheck(library)).toBe('ok');
  });
});

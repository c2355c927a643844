import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSummary } from '../../../src/common/api/library';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { Library } from '../../../src/engine/library/library';
import { LATEST_SCHEMA_VERSION } from '../../../src/engine/library/migrations';
import { buildLibraryAtVersion } from '../../fixtures/hardening/old-library';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

const call = async <T>(engine: Engine, channel: Parameters<Engine['call']>[0], input: object = {}): Promise<T> =>
  unwrap(await engine.call(channel as never, input as never)) as T;
const errorOf = async (engine: Engine, channel: Parameters<Engine['call']>[0], input: object) => {
  const result = await engine.call(channel as never, input as never);
  return result.ok ? null : result.error;
};

describeWithShared('favourites and albums survive re-indexing, moves and renames, as names do', () => {
  const work = tempDir('facet-organizer-');
  const photos = path.join(work, 'photos');
  let engine: Engine;
  let byName: Map<string, number>;

  beforeAll(async () => {
    fs.mkdirSync(photos, { recursive: true });
    for (const name of ['img1.jpg', 'img2.jpg', 'img10.jpg', 'couple.jpg'])
      fs.copyFileSync(sharedPhotos('faces-celebs', name), path.join(photos, name));
    engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    await engine.index([photos]);
    const all = await call<{ photos: PhotoSummary[] }>(engine, 'library.photos', { limit: 100 });
    byName = new Map(all.photos.map((p) => [path.basename(p.path), p.id]));
    return () => engine.close();
  });

  it('marks favourites, shown on the grid and listed on their own', async () => {
    const ids = [byName.get('img1.jpg')!, byName.get('couple.jpg')!];
    expect(await call(engine, 'favourites.set', { photoIds: ids, favourite: true })).toEqual({ changed: 2 });
    expect(await call(engine, 'favourites.set', { photoIds: ids, favourite: true })).toEqual({ changed: 0 }); // already
    const grid = await call<{ photos: PhotoSummary[] }>(engine, 'library.photos', { limit: 100 });
    expect(
      grid.photos
        .filter((p) => p.favourite)
        .map((p) => p.id)
        .sort(),
    ).toEqual([...ids].sort());
    const favourites = await call<{ total: number; photos: PhotoSummary[] }>(engine, 'albums.photos', { favourites: true });
    expect(favourites.total).toBe(2);
  });

  it('creates an album from a selection, renames it, refuses a taken name, adds and removes photos', async () => {
    const album = await call<{ id: number; name: string; photos: number }>(engine, 'albums.create', {
      name: 'Summer',
      photoIds: [byName.get('img2.jpg')!, byName.get('img10.jpg')!],
    });
    expect(album).toMatchObject({ name: 'Summer', photos: 2 });
    await call(engine, 'albums.create', { name: 'Winter' });
    expect(await errorOf(engine, 'albums.create', { name: 'summer' })).toMatchObject({ code: 'conflict' });
    expect(await errorOf(engine, 'albums.rename', { id: album.id, name: 'WINTER' })).toMatchObject({ code: 'conflict' });
    expect(await call(engine, 'albums.rename', { id: album.id, name: 'Summer 2024' })).toMatchObject({ name: 'Summer 2024', photos: 2 });
    expect(await call(engine, 'albums.add', { id: album.id, photoIds: [byName.get('couple.jpg')!, byName.get('img2.jpg')!] })).toEqual({
      added: 1,
    });
    expect(await call(engine, 'albums.remove', { id: album.id, photoIds: [byName.get('img10.jpg')!] })).toEqual({ removed: 1 });
    expect(await errorOf(engine, 'albums.add', { id: album.id, photoIds: [999_999] })).toMatchObject({ code: 'not_found' });
    expect(await errorOf(engine, 'albums.add', { id: 424_242, photoIds: [byName.get('img1.jpg')!] })).toMatchObject({ code: 'not_found' });
    expect(await errorOf(engine, 'albums.create', { name: '   ' })).toMatchObject({ code: 'invalid_argument' });
  });

  it('keeps them when a file is renamed and moved, and the library re-indexed', async () => {
    fs.mkdirSync(path.join(photos, 'moved'));
    fs.renameSync(path.join(photos, 'couple.jpg'), path.join(photos, 'moved', 'the couple.jpg'));
    await engine.index([photos]);
    const grid = await call<{ photos: PhotoSummary[] }>(engine, 'library.photos', { limit: 100 });
    const moved = grid.photos.find((p) => p.path.endsWith('the couple.jpg'))!;
    expect(moved.id).toBe(byName.get('couple.jpg'));
    expect(moved.favourite).toBe(true);
    const albums = await call<{ id: number; name: string; photos: number }[]>(engine, 'albums.list');
    const summer = albums.find((a) => a.name === 'Summer 2024')!;
    const inAlbum = await call<{ photos: PhotoSummary[] }>(engine, 'albums.photos', { albumId: summer.id });
    expect(inAlbum.photos.map((p) => path.basename(p.path)).sort()).toEqual(['img2.jpg', 'the couple.jpg']);
  });

  it('deletes an album but never its photos', async () => {
    const albums = await call<{ id: number; name: string }[]>(engine, 'albums.list');
    const before = (await call<{ total: number }>(engine, 'library.photos', { limit: 1 })).total;
    for (const album of albums) expect(await call(engine, 'albums.delete', { id: album.id })).toEqual({ deleted: true });
    expect(await call(engine, 'albums.list')).toEqual([]);
    expect((await call<{ total: number }>(engine, 'library.photos', { limit: 1 })).total).toBe(before);
  });
});

describe('the grid puts photos without a capture date last, by their file date', () => {
  const dir = tempDir('facet-grid-order-');
  it('orders dated photos newest first, then undated ones by modification time, labelled with it', async () => {
    const engine = Engine.open({ libraryDir: dir });
    try {
      const db = engine.library.db;
      const folder = db.prepare("INSERT INTO folders (path) VALUES ('/p')").run().lastInsertRowid;
      const insert = db.prepare(
        "INSERT INTO photos (folder_id, path, size, mtime_ms, status, taken_at, indexed_at) VALUES (?, ?, 1, ?, 'indexed', ?, ?)",
      );
      // Indexed most recently, yet undated: it used to come first.
      insert.run(folder, '/p/undated-old.jpg', Date.UTC(2019, 0, 1), null, '2026-11-27T10:00:00Z');
      insert.run(folder, '/p/undated-new.jpg', Date.UTC(2021, 0, 1), null, '2026-11-27T10:00:00Z');
      insert.run(folder, '/p/2020.jpg', 0, '2020-06-01T10:00:00Z', '2026-01-01T00:00:00Z');
      insert.run(folder, '/p/2024.jpg', 0, '2024-06-01T10:00:00Z', '2026-01-01T00:00:00Z');
      const { photos } = await call<{ photos: PhotoSummary[] }>(engine, 'library.photos', { limit: 10 });
      expect(photos.map((p) => path.basename(p.path))).toEqual(['2024.jpg', '2020.jpg', 'undated-new.jpg', 'undated-old.jpg']);
      expect(photos.map((p) => p.fileDate ?? null)).toEqual([null, null, '2021-01-01T00:00:00.000Z', '2019-01-01T00:00:00.000Z']);
      // The page is read through the grid-order index, not by sorting every row.
      const plan = db
        .prepare(
          "EXPLAIN QUERY PLAN SELECT p.id FROM photos p WHERE +p.status IN ('indexed','offline') ORDER BY (p.taken_at IS NULL), p.taken_at DESC, p.mtime_ms DESC, p.id DESC LIMIT 10",
        )
        .all() as { detail: string }[];
      expect(plan.map((r) => r.detail).join(' ')).toMatch(/USING INDEX photos_grid_order/);
      expect(plan.map((r) => r.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
    } finally {
      engine.close();
    }
  });
});

describe('migration 11 (organizer)', () => {
  const dir = tempDir('facet-v10-');
  it('upgrades a version-10 library: its photos and people intact, albums and favourites empty and usable', async () => {
    const built = buildLibraryAtVersion(dir, 10);
    const library = Library.open(dir);
    try {
      const db = library.db;
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(built.photos);
      expect(db.prepare('SELECT name FROM people ORDER BY name').pluck().all() as string[]).toEqual(built.people);
      const photo = db.prepare('SELECT id FROM photos LIMIT 1').pluck().get() as number;
      db.prepare('INSERT INTO favourites (photo_id) VALUES (?)').run(photo);
      db.prepare("INSERT INTO albums (name) VALUES ('Trip')").run();
      expect(() => db.prepare("INSERT INTO albums (name) VALUES ('TRIP')").run()).toThrow(/UNIQUE/);
    } finally {
      library.close();
    }
  });
});

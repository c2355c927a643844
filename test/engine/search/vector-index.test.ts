import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Library } from '../../../src/engine/library/library';
import type { VectorTable } from '../../../src/engine/library/vector-tables';
import { imageVectorTable, markEmbedded, nearestImages, writeImageVector } from '../../../src/engine/library/image-vectors';
import { type VectorSource, rowByRowSource, shadowChunkSource } from '../../../src/engine/library/image-vectors';
import { compactFilePath } from '../../../src/engine/search/compact-vectors';
import { imageVectorIndex, releaseVectorIndexes } from '../../../src/engine/search/vector-index';
import { tempDir } from '../../support/temp';
import { registerIndexedPhoto } from '../../../src/engine/library/photo-store';

const DIMS = 16;

function unit(seed: number): Float32Array {
  const v = Float32Array.from({ length: DIMS }, (_, i) => (Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453) % 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

describe('in-memory vector scan (ONNX Runtime) against sqlite-vec on the same table', () => {
  const root = tempDir('facet-vector-index-');
  let library: Library;
  let table: VectorTable;

  function addPhoto(db: Library['db'], id: number): void {
    registerIndexedPhoto(db, { id, path: `/p/${id}.jpg` });
    writeImageVector(db, imageVectorTable(db, 'm', DIMS), id, unit(id));
    markEmbedded(db, id, 'm');
  }

  beforeAll(() => {
    library = Library.open(path.join(root, 'lib'));
    table = imageVectorTable(library.db, 'm', DIMS);
    library.db.transaction(() => {
      for (let id = 1; id <= 3000; id += 1 + (id % 3)) addPhoto(library.db, id); // gaps: rows ≠ ids
    })();
  });
  afterAll(() => library?.close());

  it('returns exactly what vec0 returns, with and without an allowed set', async () => {
    const index = await imageVectorIndex(library.db, table);
    for (const seed of [0.5, 7.25, 99.125]) {
      const query = unit(seed);
      const fromVec0 = nearestImages(library.db, table, query, 20);
      const fromIndex = await index.nearest(query, 20);
      expect(fromIndex.map((h) => h.photoId)).toEqual(fromVec0.map((h) => h.photoId));
      fromIndex.forEach((h, i) => expect(h.score).toBeCloseTo(fromVec0[i]!.score, 5));
      const allowed = [3, 10, 11, 500, 2999, 2998, 4000];
      const filteredVec0 = nearestImages(library.db, table, query, 5, {
        sql: 'SELECT value FROM json_each(?)',
        params: [JSON.stringify(allowed)],
      });
      expect((await index.nearest(query, 5, allowed)).map((h) => h.photoId)).toEqual(filteredVec0.map((h) => h.photoId));
      // The same through the masked full scan (what a large allowed set takes).
      expect((await index.nearest(query, 5, allowed, 0)).map((h) => h.photoId)).toEqual(filteredVec0.map((h) => h.photoId));
    }
    expect(await index.nearest(unit(1), 5, [])).toEqual([]);
    expect(await index.nearest(unit(1), 5, [], 0)).toEqual([]);
  });

  it("scores a filter's rows read in parallel (a filter on disk) exactly as read one by one and as vec0 does", async () => {
    const index = await imageVectorIndex(library.db, table);
    const ids = (library.db.prepare('SELECT photo_id FROM photo_embeddings ORDER BY photo_id').pluck().all() as number[]).filter(
      (id) => id % 7 !== 3,
    );
    for (const [seed, allowed] of [
      [0.5, ids.slice(0, 300)],
      [7.25, ids.filter((id) => id % 5 === 1)],
      [99.125, [...ids.slice(-40), 4000, 4001]], // ids without a vector are ignored
    ] as const) {
      const query = unit(seed);
      const exact = nearestImages(library.db, table, query, 12, {
        sql: 'SELECT value FROM json_each(?)',
        params: [JSON.stringify(allowed)],
      });
      const parallel = await index.nearest(query, 12, allowed, 5000, 'parallel');
      const paced = await index.nearest(query, 12, allowed, 5000, 'paced');
      expect(parallel.map((h) => h.photoId)).toEqual(exact.map((h) => h.photoId));
      parallel.forEach((h, i) => expect(h.score).toBeCloseTo(exact[i]!.score, 5));
      expect(paced).toEqual(parallel);
    }
  });

  it("reads vec0's chunks whole exactly as row by row, holes from replaced vectors included", () => {
    writeImageVector(library.db, table, 10, unit(777)); // a replaced vector leaves an empty slot behind
    const count = shadowChunkSource(library.db, table).count();
    const asMap = (source: VectorSource) => {
      const map = new Map<number, number[]>();
      for (const batch of source.batches())
        batch.ids.forEach((id, i) => map.set(id, Array.from(batch.vectors.subarray(i * DIMS, (i + 1) * DIMS))));
      return map;
    };
    const byChunk = asMap(shadowChunkSource(library.db, table));
    expect(byChunk.size).toBe(count);
    expect(byChunk).toEqual(asMap(rowByRowSource(library.db, table)));
    expect(byChunk.get(10)).toEqual(Array.from(unit(777)));
  });

  it('sees vectors written on this connection and by another process-like connection', async () => {
    const before = await imageVectorIndex(library.db, table);
    expect(await imageVectorIndex(library.db, table)).toBe(before); // unchanged library: no reload
    addPhoto(library.db, 5001);
    const mine = await imageVectorIndex(library.db, table);
    expect(mine.size + mine.deltaSize).toBe(before.size + before.deltaSize + 1);
    expect((await mine.nearest(unit(5001), 1))[0]!.photoId).toBe(5001);

    const other = Library.open(path.join(root, 'lib'));
    try {
      addPhoto(other.db, 5002);
    } finally {
      other.close();
    }
    const theirs = await imageVectorIndex(library.db, table);
    expect((await theirs.nearest(unit(5002), 1))[0]!.photoId).toBe(5002);
  });

  it('keeps its state per connection (two engines share nothing) and releases it on close', async () => {
    const second = Library.open(path.join(root, 'lib'));
    try {
      const mine = await imageVectorIndex(library.db, table);
      const theirs = await imageVectorIndex(second.db, imageVectorTable(second.db, 'm', DIMS));
      expect(theirs).not.toBe(mine);
      expect(theirs.size).toBe(mine.size);
      await releaseVectorIndexes(second.db);
      expect(await imageVectorIndex(library.db, table)).toBe(mine); // the other engine's release left this one alone
      await releaseVectorIndexes(library.db);
      const reloaded = await imageVectorIndex(library.db, table);
      expect(reloaded).not.toBe(mine);
      expect((await reloaded.nearest(unit(5001), 1))[0]!.photoId).toBe(5001);
    } finally {
      second.close();
    }
  });

  /** This process's open files in the library's vector-index folder (Linux: /proc/self/fd). */
  function openIndexFiles(): string[] {
    const folder = path.dirname(compactFilePath(library.db, table)!);
    return fs.readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
        return target.startsWith(folder) ? [target] : [];
      } catch {
        return []; // closed since the listing
      }
    });
  }

  it.runIf(process.platform === 'linux')(
    "closes a replaced index's file (after the query in flight), and every file on release",
    async () => {
      await releaseVectorIndexes(library.db);
      const first = await imageVectorIndex(library.db, table);
      expect(openIndexFiles()).toHaveLength(1);
      const inFlight = first.nearest(unit(3), 3, undefined, 0);
      addPhoto(library.db, 5003);
      const second = await imageVectorIndex(library.db, table);
      expect(second).not.toBe(first);
      expect((await inFlight).map((h) => h.photoId)).toEqual(nearestImages(library.db, table, unit(3), 3).map((h) => h.photoId));
      expect(openIndexFiles()).toHaveLength(1); // the replaced index let go of its file, not the garbage collector
      await releaseVectorIndexes(library.db);
      expect(openIndexFiles()).toEqual([]);
      // A search still holding the released index is told to search again, not given another file's rows.
      await expect(second.nearest(unit(3), 3, [3, 10, 11])).rejects.toMatchObject({ code: 'conflict' });
    },
  );

  it('a rebuild whose rename is refused (Windows: the old file is open) serves from its temporary file, not from memory', async () => {
    await releaseVectorIndexes(library.db);
    const file = compactFilePath(library.db, table)!;
    fs.rmSync(file);
    const rename = vi.spyOn(fs, 'renameSync').mockImplementationOnce(() => {
      throw Object.assign(new Error(`EPERM: operation not permitted, rename -> '${file}'`), { code: 'EPERM', syscall: 'rename' });
    });
    try {
      const index = await imageVectorIndex(library.db, table);
      expect(rename).toHaveBeenCalledTimes(1);
      expect(index.origin).toBe('built');
      const temporary = fs.readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp'));
      expect(temporary).toHaveLength(1); // the float rows stay on disk
      expect((await index.nearest(unit(7.25), 5, [3, 10, 11, 500, 2999])).map((h) => h.photoId)).toEqual(
        nearestImages(library.db, table, unit(7.25), 5, {
          sql: 'SELECT value FROM json_each(?)',
          params: [JSON.stringify([3, 10, 11, 500, 2999])],
        }).map((h) => h.photoId),
      );
      await releaseVectorIndexes(library.db);
      expect(fs.readdirSync(path.dirname(file))).toEqual([]); // removed once closed; the next start builds the file
      expect((await imageVectorIndex(library.db, table)).origin).toBe('built');
      expect(fs.existsSync(file)).toBe(true);
    } finally {
      rename.mockRestore();
    }
  });
});

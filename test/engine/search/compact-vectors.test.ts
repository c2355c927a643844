import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../../src/engine/library/library';
import type { VectorTable } from '../../../src/engine/library/vector-tables';
import { vectorBlob, vectorRowid } from '../../../src/engine/library/vector-codec';
import {
  buildCompactVectors,
  codeBlocks,
  compactFilePath,
  openCompactVectors,
  scanBlockRows,
} from '../../../src/engine/search/compact-vectors';
import {
  embeddingSignature,
  imageVectorTable,
  markEmbedded,
  shadowChunkSource,
  writeImageVector,
} from '../../../src/engine/library/image-vectors';
import { Int8Scan } from '../../../src/engine/search/int8-scan';
import { imageVectorIndex, rescoreCount } from '../../../src/engine/search/vector-index';
import { tempDir } from '../../support/temp';
import { registerIndexedPhoto } from '../../../src/engine/library/photo-store';
import { seededRandom } from '../../../bench/seeded-random';

const DIMS = 512;
const PHOTOS = 20_000;

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function normalise(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/**
 * CLIP-like image vectors rather than uniform noise: a shared offset (CLIP's embeddings all lean one
 * way, unrelated photos sit at cosine 0.4–0.6), a few dimensions with ten times the range of the rest
 * (the outlier dimensions CLIP is known for, which a single int8 scale would crush), and photos in
 * 400 scenes, so each query's neighbours are close together, the hard case for a quantized scan.
 */
function clipLikeVectors(count: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  const scale = Float32Array.from({ length: DIMS }, (_, d) => (d % 97 === 0 ? 10 : 0.5 + random()));
  const offset = Float32Array.from({ length: DIMS }, (_, d) => gaussian(random) * scale[d]!);
  const scenes = Array.from({ length: 400 }, () => Float32Array.from({ length: DIMS }, (_, d) => gaussian(random) * scale[d]!));
  return Array.from({ length: count }, () => {
    const scene = scenes[Math.floor(random() * scenes.length)]!;
    return normalise(
      Float32Array.from({ length: DIMS }, (_, d) => offset[d]! * 0.8 + scene[d]! * 0.6 + gaussian(random) * scale[d]! * 0.5),
    );
  });
}

describe('compact (int8) vector index', () => {
  const root = tempDir('facet-compact-');
  const libraryDir = path.join(root, 'lib');
  let library: Library;
  let table: VectorTable;
  let vectors: Float32Array[];

  beforeAll(() => {
    library = Library.open(libraryDir);
    table = imageVectorTable(library.db, 'clip-like', DIMS);
    vectors = clipLikeVectors(PHOTOS, 11);
    library.db.transaction(() => {
      vectors.forEach((v, i) => {
        registerIndexedPhoto(library.db, { id: i + 1, path: `/p/${i + 1}.jpg` });
        writeImageVector(library.db, table, i + 1, v);
        markEmbedded(library.db, i + 1, 'clip-like');
      });
    })();
  }, 120_000);
  afterAll(() => library?.close());

  function exactTop(query: Float32Array, k: number, allowed?: Set<number>): { photoId: number; score: number }[] {
    const scored = vectors.flatMap((v, i) => (allowed && !allowed.has(i + 1) ? [] : [{ photoId: i + 1, score: dot(v, query) }]));
    return scored.sort((a, b) => b.score - a.score).slice(0, k);
  }

  it('finds at least 98% of the exact top 50 on CLIP-like vectors, with exact scores', async () => {
    const index = await imageVectorIndex(library.db, table);
    const queries = clipLikeVectors(30, 99);
    let found = 0;
    for (const query of queries) {
      const exact = exactTop(query, 50);
      const hits = await index.nearest(query, 50);
      const want = new Set(exact.map((h) => h.photoId));
      found += hits.filter((h) => want.has(h.photoId)).length;
      for (const hit of hits) expect(hit.score).toBeCloseTo(dot(vectors[hit.photoId - 1]!, query), 5);
    }
    expect(found / (queries.length * 50)).toBeGreaterThanOrEqual(0.98);
    expect(rescoreCount(50)).toBeLessThan(PHOTOS / 10); // the recall is not bought by rescoring everything
  });

  it('gives a filtered search the exact answer, through a small candidate list or a masked scan', async () => {
    const index = await imageVectorIndex(library.db, table);
    const allowed = Array.from({ length: 3000 }, (_, i) => 1 + i * 6);
    const [query] = clipLikeVectors(1, 5);
    const exact = exactTop(query!, 20, new Set(allowed)).map((h) => h.photoId);
    expect((await index.nearest(query!, 20, allowed)).map((h) => h.photoId)).toEqual(exact);
    const masked = (await index.nearest(query!, 20, allowed, 0)).map((h) => h.photoId);
    expect(masked.filter((id) => exact.includes(id)).length).toBeGreaterThanOrEqual(19);
    expect(masked.every((id) => (id - 1) % 6 === 0)).toBe(true);
  });

  it('scans codes stored in many blocks (one session each) exactly as in one, from the file and from memory', async () => {
    const file = compactFilePath(library.db, table)!;
    const signature = embeddingSignature(library.db, table.modelId);
    const single = await imageVectorIndex(library.db, table);
    expect(codeBlocks({ count: PHOTOS, blockRows: scanBlockRows(DIMS) })).toHaveLength(1);
    // 14 blocks, the last one partial (20,000 = 13 × 1,500 + 500).
    buildCompactVectors(library.db, table, signature, file, shadowChunkSource(library.db, table), 1500).rows.close();
    const persisted = openCompactVectors(file, table, signature)!;
    persisted.rows.close();
    expect(codeBlocks(persisted).map((b) => b.rows)).toEqual([...Array<number>(13).fill(1500), 500]);

    const allowed = Array.from({ length: 3000 }, (_, i) => 1 + i * 6);
    const other = Library.open(libraryDir);
    try {
      const blocked = await imageVectorIndex(other.db, table);
      expect(blocked.origin).toBe('file');
      for (const query of clipLikeVectors(5, 21)) {
        expect(await blocked.nearest(query, 50)).toEqual(await single.nearest(query, 50));
        expect(await blocked.nearest(query, 20, allowed, 0)).toEqual(await single.nearest(query, 20, allowed, 0));
      }
    } finally {
      other.close();
    }

    // In memory (no file: an in-memory database, an unwritable folder) the blocks are back to back.
    const inMemory = (blockRows: number) =>
      buildCompactVectors(library.db, table, signature, null, shadowChunkSource(library.db, table), blockRows);
    const [one, many] = [inMemory(PHOTOS), inMemory(1500)];
    const [oneScan, manyScan] = [await Int8Scan.open(one), await Int8Scan.open(many)];
    try {
      const mask = new Float32Array(PHOTOS).fill(Number.NEGATIVE_INFINITY);
      for (const id of allowed) mask[id - 1] = 0;
      const query = Uint8Array.from({ length: DIMS }, (_, d) => (d * 37) % 256);
      expect(await manyScan.nearest(query, 100, null)).toEqual(await oneScan.nearest(query, 100, null));
      const masked = await manyScan.nearest(query, 100, mask);
      expect(masked).toEqual(await oneScan.nearest(query, 100, mask));
      expect(masked.every((row) => row % 6 === 0)).toBe(true);
      // Allowed rows in three of the 14 blocks (rows 1,400–3,099; blocks of 1,500): the others are skipped.
      const near = new Float32Array(PHOTOS).fill(Number.NEGATIVE_INFINITY).fill(0, 1400, 3100);
      const inTwo = await manyScan.nearest(query, 100, near);
      expect(inTwo).toEqual(await oneScan.nearest(query, 100, near));
      expect(inTwo.every((row) => row >= 1400 && row < 3100)).toBe(true);
    } finally {
      await Promise.all([oneScan.release(), manyScan.release()]);
    }

    // Back to the file the product writes, for the next test.
    buildCompactVectors(library.db, table, signature, file, shadowChunkSource(library.db, table)).rows.close();
  });

  it('persists beside the database: the next start reads it, a change or damage rebuilds it', async () => {
    const file = compactFilePath(library.db, table)!;
    await imageVectorIndex(library.db, table);
    expect(fs.existsSync(file)).toBe(true);
    const [query] = clipLikeVectors(1, 7);
    const before = (await (await imageVectorIndex(library.db, table)).nearest(query!, 10)).map((h) => h.photoId);

    const reopen = async () => {
      const other = Library.open(libraryDir);
      try {
        const index = await imageVectorIndex(other.db, table);
        return { origin: index.origin, size: index.size, top: (await index.nearest(query!, 10)).map((h) => h.photoId) };
      } finally {
        other.close();
      }
    };
    expect(await reopen()).toEqual({ origin: 'file', size: PHOTOS, top: before });

    // A damaged file (cut short), then an unreadable header, then another format version (as a file
    // of version 1, one matrix of codes, reads): rebuilt each time.
    fs.truncateSync(file, fs.statSync(file).size - 100);
    expect(await reopen()).toEqual({ origin: 'built', size: PHOTOS, top: before });
    const bytes = fs.readFileSync(file);
    bytes.write('{"format":"garbage', 0);
    fs.writeFileSync(file, bytes);
    expect(await reopen()).toEqual({ origin: 'built', size: PHOTOS, top: before });
    const header = fs.readFileSync(file);
    header.write(
      header
        .subarray(0, 200)
        .toString('utf8')
        .replace(/"version":\d+/, '"version":1'),
      0,
    );
    fs.writeFileSync(file, header);
    expect((await reopen()).origin).toBe('built');
    expect((await reopen()).origin).toBe('file');

    // A new photo and a re-embedded one: the file is reused with a delta scored exactly, no rebuild.
    const [moved] = clipLikeVectors(1, 8);
    const withOther = (change: (db: Library['db']) => void) => {
      const other = Library.open(libraryDir);
      try {
        change(other.db);
      } finally {
        other.close();
      }
    };
    withOther((db) => {
      db.prepare("INSERT INTO photos (id, path, size, mtime_ms, status) VALUES (?, '/p/new.jpg', 1, 0, 'indexed')").run(PHOTOS + 1);
      db.prepare(`INSERT INTO ${table.tableName} (rowid, embedding) VALUES (?, ?)`).run(vectorRowid(PHOTOS + 1), vectorBlob(query!));
      db.prepare("INSERT INTO photo_embeddings (photo_id, model_id, embedded_at) VALUES (?, 'clip-like', '2999-01-01T00:00:00.000Z')").run(
        PHOTOS + 1,
      );
      writeImageVector(db, table, 5, moved!);
      db.prepare("UPDATE photo_embeddings SET embedded_at = '2999-01-01T00:00:00.000Z' WHERE photo_id = 5").run();
    });
    const other = Library.open(libraryDir);
    try {
      const index = await imageVectorIndex(other.db, table);
      expect([index.origin, index.size, index.deltaSize]).toEqual(['file', PHOTOS, 2]);
      expect((await index.nearest(query!, 1))[0]!.photoId).toBe(PHOTOS + 1);
      const top = await index.nearest(moved!, 3);
      expect(top[0]).toMatchObject({ photoId: 5 });
      expect(top[0]!.score).toBeCloseTo(1, 5);
      expect(top.filter((h) => h.photoId === 5)).toHaveLength(1); // the old vector of photo 5 is gone
      const filtered = await index.nearest(moved!, 3, [5, 6, PHOTOS + 1]);
      expect(filtered.map((h) => h.photoId).sort((a, b) => a - b)).toEqual([5, 6, PHOTOS + 1]);
    } finally {
      other.close();
    }
    // And this connection's cached index follows (another process committed).
    expect((await (await imageVectorIndex(library.db, table)).nearest(query!, 1))[0]!.photoId).toBe(PHOTOS + 1);

    // A removed photo cannot be served by a delta: the file is rebuilt.
    withOther((db) => {
      db.prepare(`DELETE FROM ${table.tableName} WHERE rowid = ?`).run(vectorRowid(7));
      db.prepare('DELETE FROM photo_embeddings WHERE photo_id = 7').run();
    });
    const rebuilt = await reopen();
    expect(rebuilt.origin).toBe('built');
    expect(rebuilt.size).toBe(PHOTOS);
    expect(rebuilt.top[0]).toBe(PHOTOS + 1);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { replaceFaces } from '../../../src/engine/library/face-store';
import { loadFaceVectors, row } from '../../../src/engine/library/face-vectors';
import { Library } from '../../../src/engine/library/library';
import { registerIndexedPhoto } from '../../../src/engine/library/photo-store';
import { vectorBlob, vectorRowid } from '../../../src/engine/library/vector-codec';
import { findVectorTable } from '../../../src/engine/library/vector-tables';

const MODEL = 'test-face-4';
let dir: string;
let library: Library;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-face-vectors-'));
  library = Library.open(dir);
});
afterEach(() => {
  library.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Face `n`'s vector: distinct per face, so a row read into the wrong place shows. */
const vectorOf = (n: number) => Float32Array.of(n, n + 0.25, -n, 1 / (n + 1));

function storeFaces(count: number): number[] {
  const ids: number[] = [];
  for (let n = 0; n < count; n++) {
    const photoId = registerIndexedPhoto(library.db, { path: `/p/${n}.jpg`, width: 100, height: 100 });
    const face = { box: [0, 0, 10, 10] as [number, number, number, number], score: 0.9, landmarks: [], quality: 0.5, resolution: 1 };
    ids.push(...replaceFaces(library.db, photoId, MODEL, [{ ...face, embedding: vectorOf(n), blur: null, pose: null }]));
  }
  return ids;
}

function expectRows(loaded: ReturnType<typeof loadFaceVectors>, byId: Map<number, Float32Array>): void {
  expect(loaded.flat.length).toBe(loaded.ids.length * 4);
  loaded.ids.forEach((id, i) => expect([...row(loaded, i)]).toEqual([...byId.get(id)!]));
}

it('loads every face, a few (point reads) or many (one scan) of them by id, each row under its own id, and skips ids without a vector', () => {
  const ids = storeFaces(12);
  const byId = new Map(ids.map((id, n) => [id, vectorOf(n)]));
  const all = loadFaceVectors(library.db, MODEL);
  expect(all.ids.sort((a, b) => a - b)).toEqual(ids);
  expectRows(all, byId);
  const few = loadFaceVectors(library.db, MODEL, [ids[3]!, 9999, ids[7]!]);
  expect(few.ids).toEqual([ids[3], ids[7]]);
  expectRows(few, byId);
  const many = loadFaceVectors(library.db, MODEL, [...ids.slice(0, 8), 9999]);
  expect(new Set(many.ids)).toEqual(new Set(ids.slice(0, 8)));
  expectRows(many, byId);
  expect(loadFaceVectors(library.db, 'no-such-model')).toEqual({ ids: [], dimensions: 0, flat: new Float32Array(0) });
});

it('keeps every vector when the vector table holds more rows than the faces table counted (the matrix grows)', () => {
  const ids = storeFaces(3);
  const table = findVectorTable(library.db, 'face', MODEL)!;
  const extra = [1001, 1002, 1003, 1004, 1005];
  for (const id of extra) {
    library.db.prepare(`INSERT INTO ${table.tableName}(rowid, embedding) VALUES (?, ?)`).run(vectorRowid(id), vectorBlob(vectorOf(id)));
  }
  const byId = new Map([...ids.map((id, n) => [id, vectorOf(n)] as const), ...extra.map((id) => [id, vectorOf(id)] as const)]);
  const all = loadFaceVectors(library.db, MODEL);
  expect(all.ids.length).toBe(8);
  expectRows(all, byId);
});

import type { Db } from './database';
import { blobToVector, vectorRowid } from './vector-codec';
import { findVectorTable } from './vector-tables';
import { prepared, preparedPluck } from './statements';

/** Embeddings of some faces (or all of a model's when `ids` is omitted), packed row-major. */
export interface PackedVectors {
  ids: number[];
  dimensions: number;
  flat: Float32Array;
}

export function loadFaceVectors(db: Db, modelId: string, ids?: readonly number[]): PackedVectors {
  const table = findVectorTable(db, 'face', modelId);
  if (!table) return { ids: [], dimensions: 0, flat: new Float32Array(0) };
  const rows: { rowid: number | bigint; embedding: Buffer }[] = [];
  const total = ids === undefined ? 0 : (preparedPluck(db, `SELECT COUNT(*) FROM faces WHERE model_id = ?`).get(modelId) as number);
  if (ids === undefined || ids.length > total / 4) {
    // One scan beats many point reads once a good share of the table is wanted (a full re-cluster).
    const wanted = ids === undefined ? undefined : new Set(ids);
    for (const r of prepared(db, `SELECT rowid, embedding FROM ${table.tableName}`).iterate() as Iterable<(typeof rows)[number]>) {
      if (!wanted || wanted.has(Number(r.rowid))) rows.push(r);
    }
  } else {
    const one = prepared(db, `SELECT rowid, embedding FROM ${table.tableName} WHERE rowid = ?`);
    for (const id of ids) {
      const row = one.get(vectorRowid(id)) as (typeof rows)[number] | undefined;
      if (row) rows.push(row);
    }
  }
  const d = table.dimensions;
  const flat = new Float32Array(rows.length * d);
  rows.forEach((row, i) => flat.set(blobToVector(row.embedding), i * d));
  return { ids: rows.map((r) => Number(r.rowid)), dimensions: d, flat };
}

/** Row `i` of a packed matrix, without copying. */
export function row(vectors: PackedVectors, i: number): Float32Array {
  return vectors.flat.subarray(i * vectors.dimensions, (i + 1) * vectors.dimensions);
}

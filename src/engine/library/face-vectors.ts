import type { Db } from './database';
import { vectorRowid } from './vector-codec';
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
  const d = table.dimensions;
  const total = preparedPluck(db, `SELECT COUNT(*) FROM faces WHERE model_id = ?`).get(modelId) as number;
  // Each row is copied into the matrix as it is read, not kept as better-sqlite3's Buffer until the end:
  // at 100k faces those Buffers were another 70 MB beside the 51 MB matrix, which raised the clustering
  // run's peak RSS for good (freed memory is not handed back to the system). Sized by the faces table;
  // grown should the vector table hold more (a face written by another process since the count).
  let flat = new Float32Array(Math.min(ids?.length ?? Infinity, total) * d);
  let bytes = new Uint8Array(flat.buffer);
  const found: number[] = [];
  const take = (r: VectorRow | undefined): void => {
    if (!r) return;
    if ((found.length + 1) * d > flat.length) {
      const grown = new Float32Array(Math.max(flat.length * 2, d));
      grown.set(flat);
      [flat, bytes] = [grown, new Uint8Array(grown.buffer)];
    }
    bytes.set(r.embedding, found.length * d * 4);
    found.push(Number(r.rowid));
  };
  if (ids === undefined || ids.length > total / 4) {
    // One scan beats many point reads once a good share of the table is wanted (a full re-cluster).
    const wanted = ids === undefined ? undefined : new Set(ids);
    for (const r of prepared(db, `SELECT rowid, embedding FROM ${table.tableName}`).iterate() as Iterable<VectorRow>) {
      if (!wanted || wanted.has(Number(r.rowid))) take(r);
    }
  } else {
    const one = prepared(db, `SELECT rowid, embedding FROM ${table.tableName} WHERE rowid = ?`);
    for (const id of ids) take(one.get(vectorRowid(id)) as VectorRow | undefined);
  }
  return { ids: found, dimensions: d, flat: found.length * d === flat.length ? flat : flat.slice(0, found.length * d) };
}

interface VectorRow {
  rowid: number | bigint;
  embedding: Buffer;
}

/** Row `i` of a packed matrix, without copying. */
export function row(vectors: PackedVectors, i: number): Float32Array {
  return vectors.flat.subarray(i * vectors.dimensions, (i + 1) * vectors.dimensions);
}

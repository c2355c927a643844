import * as ort from 'onnxruntime-node';
import type { Db } from '../library/database';
import type { VectorTable } from '../library/vector-tables';
import { type VectorHit, localVectorWrites } from '../library/image-vectors';
import { FLOAT, INT64, encodeModel, intAttribute, node, valueInfo } from './onnx-graph';

/**
 * The fast exact scan behind text search. sqlite-vec's vec0 is a brute-force scan with scalar C
 * loops that read every vector through SQLite's pager: about 100 ms for 100,000 512-d vectors here,
 * twice the budget. This keeps one model's vectors in memory as an N×D float matrix and lets ONNX
 * Runtime do the scan (Gemm with transB → scores, + a mask that is 0 for allowed photos and −∞ for the
 * rest → TopK): its SIMD kernels take ~20 ms for 100,000 vectors on one core, and the result is exact,
 * so filters and recall are the same as vec0's. vec0 stays the storage and the fallback.
 *
 * The copy is refreshed when the library changed: `PRAGMA data_version` moves when another connection
 * (the indexer process) commits, `noteVectorWrite` when this one writes; then the cheap signature of
 * photo_embeddings decides whether this model's vectors actually changed.
 */
export class ImageVectorIndex {
  private constructor(
    private readonly session: ort.InferenceSession,
    /** Photo id of each matrix row. */
    readonly ids: Float64Array,
    /** Row numbers ordered by photo id, and those ids, for binary search from id to row. */
    private readonly rowsById: Uint32Array,
    private readonly sortedIds: Float64Array,
    private readonly matrix: ort.Tensor,
    private readonly open: ort.Tensor,
    readonly signature: string,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /**
   * The k most similar photos among `allowed` (all when absent), best first. Rows outside the
   * allowed set score −∞ and are dropped, so a filter never loses matches to an earlier top-k.
   */
  async nearest(query: Float32Array, k: number, allowed?: readonly number[], directLimit = SMALL_CANDIDATE_SET): Promise<VectorHit[]> {
    const n = this.ids.length;
    if (n === 0 || k <= 0) return [];
    if (allowed && allowed.length <= Math.max(directLimit, n / 20)) return this.scoreRows(query, k, allowed);
    const mask = allowed ? this.maskFor(allowed) : this.open;
    const result = await this.session.run({
      query: new ort.Tensor('float32', query, [1, query.length]),
      matrix: this.matrix,
      mask,
      k: new ort.Tensor('int64', BigInt64Array.of(BigInt(Math.min(k, n))), [1]),
    });
    const scores = result.values!.data as Float32Array;
    const rows = result.indices!.data as BigInt64Array;
    const hits: VectorHit[] = [];
    for (let i = 0; i < scores.length; i++) {
      if (scores[i] === Number.NEGATIVE_INFINITY) break;
      hits.push({ photoId: this.ids[Number(rows[i])]!, score: scores[i]! });
    }
    return hits;
  }

  /**
   * A selective filter (a person in a date range) leaves a few hundred photos: scoring just their rows
   * here is exact too, and far cheaper than a full scan with almost everything masked out.
   */
  private scoreRows(query: Float32Array, k: number, allowed: readonly number[]): VectorHit[] {
    const data = this.matrix.data as Float32Array;
    const dims = query.length;
    const hits: VectorHit[] = [];
    for (const id of new Set(allowed)) {
      const at = indexOf(this.sortedIds, id);
      if (at < 0) continue;
      const offset = this.rowsById[at]! * dims;
      let score = 0;
      for (let d = 0; d < dims; d++) score += query[d]! * data[offset + d]!;
      hits.push({ photoId: id, score });
    }
    return hits.sort((a, b) => b.score - a.score || a.photoId - b.photoId).slice(0, k);
  }

  private maskFor(allowed: readonly number[]): ort.Tensor {
    const mask = new Float32Array(this.ids.length).fill(Number.NEGATIVE_INFINITY);
    for (const id of allowed) {
      const at = indexOf(this.sortedIds, id);
      if (at >= 0) mask[this.rowsById[at]!] = 0;
    }
    return new ort.Tensor('float32', mask, [1, mask.length]);
  }

  static async load(db: Db, table: VectorTable, signature: string): Promise<ImageVectorIndex> {
    const { ids, data, count } = readAllVectors(db, table);
    const dims = table.dimensions;
    const session = await scanSession(dims);
    const rowsById = Uint32Array.from({ length: count }, (_, i) => i).sort((a, b) => ids[a]! - ids[b]!);
    return new ImageVectorIndex(
      session,
      ids.subarray(0, count),
      rowsById,
      Float64Array.from(rowsById, (r) => ids[r]!),
      new ort.Tensor('float32', data.subarray(0, count * dims), [count, dims]),
      new ort.Tensor('float32', new Float32Array(count), [1, count]),
      signature,
    );
  }
}

interface LoadedVectors {
  ids: Float64Array;
  data: Float32Array;
  count: number;
}

/**
 * Reads every vector of the table. Row by row through vec0 costs seconds per 100,000 (one chunk blob
 * read per row), so the chunks are read whole from vec0's shadow tables (layout of sqlite-vec 0.1.x:
 * `_chunks` holds a validity bitmap and the int64 rowids of each slot, `_vector_chunks00` the float32
 * slots); if that layout is not there, or disagrees with the row count, the row-by-row read is used.
 */
function readAllVectors(db: Db, table: VectorTable): LoadedVectors {
  const expected = (db.prepare(`SELECT count(*) AS n FROM ${table.tableName}_rowids`).get() as { n: number }).n;
  try {
    const fast = readShadowChunks(db, table, expected);
    if (fast.count === expected) return fast;
  } catch {
    // another sqlite-vec layout: fall through to the portable read
  }
  return readRowByRow(db, table, expected);
}

export function readShadowChunks(db: Db, table: VectorTable, expected: number): LoadedVectors {
  const dims = table.dimensions;
  const ids = new Float64Array(expected);
  const data = new Float32Array(expected * dims);
  let count = 0;
  const chunks = db
    .prepare(`SELECT c.size AS size, c.validity AS validity, c.rowids AS rowids, v.vectors AS vectors FROM ${table.tableName}_chunks c JOIN ${table.tableName}_vector_chunks00 v ON v.rowid = c.chunk_id`)
    .iterate() as IterableIterator<{ size: number; validity: Buffer; rowids: Buffer; vectors: Buffer }>;
  for (const chunk of chunks) {
    const rowids = new BigInt64Array(chunk.rowids.buffer.slice(chunk.rowids.byteOffset, chunk.rowids.byteOffset + chunk.size * 8));
    const vectors = new Float32Array(chunk.vectors.buffer.slice(chunk.vectors.byteOffset, chunk.vectors.byteOffset + chunk.size * dims * 4));
    for (let slot = 0; slot < chunk.size; slot++) {
      if (!(chunk.validity[slot >> 3]! & (1 << (slot & 7)))) continue;
      if (count === expected) return { ids, data, count: count + 1 }; // more slots than rows: not the layout we know
      ids[count] = Number(rowids[slot]);
      data.set(vectors.subarray(slot * dims, (slot + 1) * dims), count * dims);
      count++;
    }
  }
  return { ids, data, count };
}

export function readRowByRow(db: Db, table: VectorTable, expected: number): LoadedVectors {
  const dims = table.dimensions;
  const ids = new Float64Array(expected);
  const data = new Float32Array(expected * dims);
  let count = 0;
  for (const r of db.prepare(`SELECT rowid, embedding FROM ${table.tableName}`).iterate() as IterableIterator<{ rowid: number | bigint; embedding: Buffer }>) {
    if (count === expected) break; // a concurrent writer added rows after the count; the next refresh gets them
    ids[count] = Number(r.rowid);
    data.set(new Float32Array(new Uint8Array(r.embedding).buffer, 0, dims), count * dims);
    count++;
  }
  return { ids, data, count };
}

function indexOf(ids: Float64Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Up to this many allowed photos are scored directly instead of by a masked full scan. */
const SMALL_CANDIDATE_SET = 5000;

const sessions = new Map<number, Promise<ort.InferenceSession>>();

/** scores = query · matrixᵀ + mask; TopK(k). One intra-op thread leaves the other core to the app. */
function scanSession(dims: number): Promise<ort.InferenceSession> {
  let session = sessions.get(dims);
  if (!session) {
    const model = encodeModel({
      name: 'facet_vector_scan',
      input: [valueInfo('query', FLOAT, [1, dims]), valueInfo('matrix', FLOAT, ['n', dims]), valueInfo('mask', FLOAT, [1, 'n']), valueInfo('k', INT64, [1])],
      output: [valueInfo('values', FLOAT, [1, 'k']), valueInfo('indices', INT64, [1, 'k'])],
      node: [node('Gemm', ['query', 'matrix', 'mask'], ['scores'], [intAttribute('transB', 1)]), node('TopK', ['scores', 'k'], ['values', 'indices'])],
    });
    session = ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
    sessions.set(dims, session);
  }
  return session;
}

const cache = new WeakMap<Db, Map<string, { version: string; index: Promise<ImageVectorIndex> }>>();

/** The in-memory index of a model's vectors, reloaded only when they changed. */
export async function imageVectorIndex(db: Db, table: VectorTable): Promise<ImageVectorIndex> {
  const perDb = cache.get(db) ?? new Map<string, { version: string; index: Promise<ImageVectorIndex> }>();
  cache.set(db, perDb);
  const version = `${db.pragma('data_version', { simple: true })}:${localVectorWrites(db)}`;
  const cached = perDb.get(table.tableName);
  if (cached && cached.version === version) return cached.index;
  const signature = embeddingSignature(db, table.modelId);
  if (cached && (await cached.index.catch(() => null))?.signature === signature) {
    cached.version = version;
    return cached.index;
  }
  const index = ImageVectorIndex.load(db, table, signature);
  perDb.set(table.tableName, { version, index });
  index.catch(() => perDb.delete(table.tableName));
  return index;
}

function embeddingSignature(db: Db, modelId: string): string {
  const row = db.prepare('SELECT count(*) AS n, max(embedded_at) AS latest, max(photo_id) AS top FROM photo_embeddings WHERE model_id = ?').get(modelId) as { n: number; latest: string | null; top: number | null };
  return `${row.n}:${row.latest}:${row.top}`;
}

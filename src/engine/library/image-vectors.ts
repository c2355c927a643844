import type { Db } from './database';
import { blobToVector, vectorBlob, vectorRowid } from './vector-codec';
import { type VectorTable, ensureVectorTable, findVectorTable } from './vector-tables';
import { prepared, preparedPluck } from './statements';

const localWrites = new WeakMap<Db, number>();

/** Called by every writer of image vectors on this connection (data_version only sees other connections). */
export function noteVectorWrite(db: Db): void {
  localWrites.set(db, (localWrites.get(db) ?? 0) + 1);
}

/** How many times this connection wrote image vectors: the in-memory vector index's staleness check. */
export function localVectorWrites(db: Db): number {
  return localWrites.get(db) ?? 0;
}

/** Records that the photo has this model's vector (photo_embeddings: what a backfill resumes from). */
export function markEmbedded(db: Db, photoId: number, modelId: string): void {
  prepared(db, 'INSERT OR REPLACE INTO photo_embeddings (photo_id, model_id) VALUES (?, ?)').run(photoId, modelId);
}

export function embeddedPhotoCount(db: Db, modelId: string): number {
  return (prepared(db, 'SELECT count(*) AS n FROM photo_embeddings WHERE model_id = ?').get(modelId) as { n: number }).n;
}

/** Indexed photos this model has not embedded yet, in id order (the first `limit`; all with -1). */
export function photosWithoutEmbedding(db: Db, modelId: string, limit = -1): { id: number; path: string }[] {
  return prepared(
    db,
    `SELECT p.id, p.path FROM photos p WHERE p.status = 'indexed'
     AND NOT EXISTS (SELECT 1 FROM photo_embeddings e WHERE e.photo_id = p.id AND e.model_id = ?) ORDER BY p.id LIMIT ?`,
  ).all(modelId, limit) as { id: number; path: string }[];
}

/**
 * CLIP image vectors: one vec0 table per model (rowid = photo id, cosine distance), the same table the
 * app, the CLI and the benchmark query.
 */
export function imageVectorTable(db: Db, modelId: string, dimensions: number): VectorTable {
  return ensureVectorTable(db, 'image', modelId, dimensions);
}

export function findImageVectorTable(db: Db, modelId: string): VectorTable | undefined {
  return findVectorTable(db, 'image', modelId);
}

/** vec0 has no upsert: a re-indexed photo's vector replaces the old one. */
export function writeImageVector(db: Db, table: VectorTable, photoId: number, vector: Float32Array): void {
  const rowid = vectorRowid(photoId);
  prepared(db, `DELETE FROM ${table.tableName} WHERE rowid = ?`).run(rowid);
  prepared(db, `INSERT INTO ${table.tableName} (rowid, embedding) VALUES (?, ?)`).run(rowid, vectorBlob(vector));
  noteVectorWrite(db);
}

export function readImageVector(db: Db, table: VectorTable, photoId: number): Float32Array | undefined {
  const row = prepared(db, `SELECT embedding FROM ${table.tableName} WHERE rowid = ?`).get(vectorRowid(photoId)) as
    { embedding: Buffer } | undefined;
  return row ? blobToVector(row.embedding) : undefined;
}

export interface VectorHit {
  photoId: number;
  /** Cosine similarity (1 − sqlite-vec's cosine distance). */
  score: number;
}

/**
 * Exact k nearest neighbours. `candidates` is an SQL query returning photo ids: sqlite-vec applies a
 * `rowid IN (…)` constraint while it scans, so a selective filter never loses matches to a top-k
 * taken before the filter.
 */
export function nearestImages(
  db: Db,
  table: VectorTable,
  query: Float32Array,
  k: number,
  candidates?: { sql: string; params: unknown[] },
): VectorHit[] {
  const filter = candidates ? ` AND rowid IN (${candidates.sql})` : '';
  const rows = prepared(
    db,
    `SELECT rowid, distance FROM ${table.tableName} WHERE embedding MATCH ? AND k = ?${filter} ORDER BY distance`,
  ).all(vectorBlob(query), BigInt(k), ...(candidates?.params ?? [])) as { rowid: number | bigint; distance: number }[];
  return rows.map((r) => ({ photoId: Number(r.rowid), score: 1 - r.distance }));
}

/** The candidate set "every other indexed photo", for a photo's own neighbours. */
export function otherIndexedPhotos(photoId: number): { sql: string; params: unknown[] } {
  return { sql: "SELECT p.id FROM photos p WHERE p.status = 'indexed' AND p.id <> ?", params: [photoId] };
}

/** Every stored vector, streamed (the caller must not write to the database until it finishes). */
export function* allImageVectors(db: Db, table: VectorTable): Generator<{ photoId: number; vector: Float32Array }> {
  const rows = prepared(db, `SELECT rowid, embedding FROM ${table.tableName}`).iterate() as IterableIterator<{
    rowid: number | bigint;
    embedding: Buffer;
  }>;
  for (const row of rows) yield { photoId: Number(row.rowid), vector: blobToVector(row.embedding) };
}

/** Where a compact index's vectors come from: a row count and batches of (ids, packed float32 vectors). */
export interface VectorSource {
  count(): number;
  batches(): Iterable<{ ids: Float64Array; vectors: Float32Array }>;
}

function vec0Count(db: Db, table: VectorTable): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table.tableName}_rowids`).get() as { n: number }).n;
}

/**
 * vec0's shadow tables in sqlite-vec 0.1.x: `_chunks` holds a validity bitmap and the int64 rowids of
 * each slot, `_vector_chunks00` the float32 slots. Row by row through vec0 costs seconds per 100,000
 * (one chunk blob read per row); whole chunks cost one read per 1,024 vectors.
 */
export function shadowChunkSource(db: Db, table: VectorTable): VectorSource {
  const dims = table.dimensions;
  return {
    count: () => vec0Count(db, table),
    *batches() {
      const chunks = db
        .prepare(
          `SELECT c.size AS size, c.validity AS validity, c.rowids AS rowids, v.vectors AS vectors FROM ${table.tableName}_chunks c JOIN ${table.tableName}_vector_chunks00 v ON v.rowid = c.chunk_id`,
        )
        .iterate() as IterableIterator<{ size: number; validity: Buffer; rowids: Buffer; vectors: Buffer }>;
      for (const chunk of chunks) {
        const rowids = new BigInt64Array(chunk.rowids.buffer.slice(chunk.rowids.byteOffset, chunk.rowids.byteOffset + chunk.size * 8));
        const vectors = new Float32Array(
          chunk.vectors.buffer.slice(chunk.vectors.byteOffset, chunk.vectors.byteOffset + chunk.size * dims * 4),
        );
        const ids: number[] = [];
        const packed = new Float32Array(chunk.size * dims);
        for (let slot = 0; slot < chunk.size; slot++) {
          if (!(chunk.validity[slot >> 3]! & (1 << (slot & 7)))) continue;
          packed.set(vectors.subarray(slot * dims, (slot + 1) * dims), ids.length * dims);
          ids.push(Number(rowids[slot]));
        }
        yield { ids: Float64Array.from(ids), vectors: packed.subarray(0, ids.length * dims) };
      }
    },
  };
}

export function rowByRowSource(db: Db, table: VectorTable): VectorSource {
  const dims = table.dimensions;
  return {
    count: () => vec0Count(db, table),
    *batches() {
      for (const r of db.prepare(`SELECT rowid, embedding FROM ${table.tableName}`).iterate() as IterableIterator<{
        rowid: number | bigint;
        embedding: Buffer;
      }>) {
        yield { ids: Float64Array.of(Number(r.rowid)), vectors: new Float32Array(new Uint8Array(r.embedding).buffer, 0, dims) };
      }
    },
  };
}

/** Photos this model embedded after `since` (an embedded_at value): what a compact index built then lacks. */
export function embeddedSince(db: Db, modelId: string, since: string): number[] {
  return preparedPluck(db, 'SELECT photo_id FROM photo_embeddings WHERE model_id = ? AND embedded_at > ? ORDER BY photo_id').all(
    modelId,
    since,
  ) as number[];
}

/** Changes whenever this model's vectors do: count, latest write, highest photo id. */
export function embeddingSignature(db: Db, modelId: string): string {
  const row = db
    .prepare('SELECT count(*) AS n, max(embedded_at) AS latest, max(photo_id) AS top FROM photo_embeddings WHERE model_id = ?')
    .get(modelId) as { n: number; latest: string | null; top: number | null };
  return `${row.n}:${row.latest}:${row.top}`;
}

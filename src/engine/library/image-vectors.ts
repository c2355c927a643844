import type { Db } from './database';
import { blobToVector, vectorBlob, vectorRowid } from './vector-codec';
import { type VectorTable, ensureVectorTable, findVectorTable } from './vector-tables';
import { prepared } from './statements';

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

/** Indexed photos this model has not embedded yet, in id order. */
export function photosWithoutEmbedding(db: Db, modelId: string): { id: number; path: string }[] {
  return prepared(
    db,
    `SELECT p.id, p.path FROM photos p WHERE p.status = 'indexed'
     AND NOT EXISTS (SELECT 1 FROM photo_embeddings e WHERE e.photo_id = p.id AND e.model_id = ?) ORDER BY p.id`,
  ).all(modelId) as { id: number; path: string }[];
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
  const row = prepared(db, `SELECT embedding FROM ${table.tableName} WHERE rowid = ?`).get(vectorRowid(photoId)) as { embedding: Buffer } | undefined;
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
export function nearestImages(db: Db, table: VectorTable, query: Float32Array, k: number, candidates?: { sql: string; params: unknown[] }): VectorHit[] {
  const filter = candidates ? ` AND rowid IN (${candidates.sql})` : '';
  const rows = prepared(db, `SELECT rowid, distance FROM ${table.tableName} WHERE embedding MATCH ? AND k = ?${filter} ORDER BY distance`)
    .all(vectorBlob(query), BigInt(k), ...(candidates?.params ?? [])) as { rowid: number | bigint; distance: number }[];
  return rows.map((r) => ({ photoId: Number(r.rowid), score: 1 - r.distance }));
}

/** Every stored vector, streamed (the caller must not write to the database until it finishes). */
export function* allImageVectors(db: Db, table: VectorTable): Generator<{ photoId: number; vector: Float32Array }> {
  const rows = prepared(db, `SELECT rowid, embedding FROM ${table.tableName}`).iterate() as IterableIterator<{ rowid: number | bigint; embedding: Buffer }>;
  for (const row of rows) yield { photoId: Number(row.rowid), vector: blobToVector(row.embedding) };
}

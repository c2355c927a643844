import type { Db } from './database';
import type { VectorHit } from './image-vectors';
import { prepared, preparedPluck } from './statements';

/**
 * The reads of search that are not a vector scan. A search filter arrives as a WHERE clause over
 * `photos p` with its parameters (search/search-filters.ts builds it); these statements run it.
 */
export interface PhotoWhere {
  where: string;
  params: unknown[];
}

/** A query that is only filters: the matching photos, newest first (photos without a date last). */
export function newestMatching(db: Db, filter: PhotoWhere, limit: number): VectorHit[] {
  return prepared(
    db,
    `SELECT p.id AS photoId, 1.0 AS score FROM photos p WHERE ${filter.where} ORDER BY p.taken_at IS NULL, p.taken_at DESC, p.id DESC LIMIT ?`,
  ).all(...filter.params, limit) as VectorHit[];
}

/** First and last day (ISO, inclusive; null: unbounded) of a span of capture dates. */
export interface DayBounds {
  from: string | null;
  to: string | null;
}

/**
 * The faces of a person within a span of days, as a WHERE clause over `faces f`: one range of the
 * faces(person_id, photo_taken_at, photo_id) index (migration 16), whose photo_taken_at triggers keep
 * equal to the photo's taken_at.
 */
export function personFacesBetween(personId: number, days: DayBounds): PhotoWhere {
  const where = ['f.person_id = ?'];
  const params: unknown[] = [personId];
  if (days.from) {
    where.push('f.photo_taken_at >= ?');
    params.push(days.from);
  }
  if (days.to) {
    // taken_at is ISO 8601, so "before the next day" keeps the whole last day.
    where.push("f.photo_taken_at < date(?, '+1 day')");
    params.push(days.to);
  }
  return { where: where.join(' AND '), params };
}

/**
 * The photos with a face of this person within these days, read from the faces index alone: a few
 * adjacent index pages, where checking each photo's own row costs one random read of the photos table
 * per photo (measured at 1M with the database out of the page cache: 34–40 ms for ~800 photos).
 */
export function photosOfPersonBetween(db: Db, personId: number, days: DayBounds): number[] {
  const faces = personFacesBetween(personId, days);
  return preparedPluck(db, `SELECT DISTINCT f.photo_id FROM faces f WHERE ${faces.where}`).all(...faces.params) as number[];
}

/** The ids of every photo the filter lets through: the candidate set of a filtered vector scan. */
export function idsMatching(db: Db, filter: PhotoWhere): number[] {
  return preparedPluck(db, `SELECT p.id FROM photos p WHERE ${filter.where}`).all(...filter.params) as number[];
}

/**
 * How many photos this model embedded that are no longer searchable (in one of `statuses`). Listing
 * the statuses (not "<> 'indexed'") lets SQLite use the status index: usually only a handful of
 * photos, instead of a join over every embedding on each query.
 */
export function embeddedPhotosIn(db: Db, statuses: readonly string[], modelId: string): number {
  return (
    prepared(
      db,
      `SELECT count(*) AS n FROM photos p WHERE p.status IN (${statuses.map(() => '?').join(',')})
         AND EXISTS (SELECT 1 FROM photo_embeddings e WHERE e.photo_id = p.id AND e.model_id = ?)`,
    ).get(...statuses, modelId) as { n: number }
  ).n;
}

/** Which of these photos are indexed (searchable). */
export function indexedAmong(db: Db, photoIds: readonly number[]): Set<number> {
  const rows = prepared(
    db,
    `SELECT id FROM photos WHERE status = 'indexed' AND id IN (${photoIds.map(() => '?').join(',') || 'NULL'})`,
  ).all(...photoIds) as { id: number }[];
  return new Set(rows.map((r) => r.id));
}

/** `--tag X` without text: the photos the filter lets through that carry the tag, most confident first. */
export function taggedMatching(db: Db, tag: string | undefined, modelId: string, filter: PhotoWhere, limit: number): VectorHit[] {
  return prepared(
    db,
    `SELECT t.photo_id AS photoId, t.score AS score FROM photo_tags t JOIN photos p ON p.id = t.photo_id
       WHERE t.tag = ? COLLATE NOCASE AND t.model_id = ? AND ${filter.where} ORDER BY t.confidence DESC LIMIT ?`,
  ).all(tag, modelId, ...filter.params, limit) as VectorHit[];
}

/** The path and capture date of each photo, for showing hits. */
export function pathsAndDates(db: Db, photoIds: readonly number[]): { id: number; path: string; taken_at: string | null }[] {
  return prepared(db, `SELECT id, path, taken_at FROM photos WHERE id IN (${photoIds.map(() => '?').join(',')})`).all(...photoIds) as {
    id: number;
    path: string;
    taken_at: string | null;
  }[];
}

/** The candidate set "these photos", for sqlite-vec's `rowid IN (…)` constraint. */
export function amongPhotos(photoIds: readonly number[]): { sql: string; params: unknown[] } {
  return { sql: 'SELECT value FROM json_each(?)', params: [JSON.stringify(photoIds)] };
}

import path from 'node:path';
import { FacetError } from '../../common/errors';
import type { DateFilter, PlaceFilter } from '../../common/api/search-query';
import type { Db } from '../library/database';
import { type DayBounds, personFacesBetween } from '../library/search-queries';
import { boundsAreExact, dateBounds, datesClause, placeClause } from './date-place-sql';
import { photoTextClause } from './photo-text-filter';
import type { Hemisphere } from './query/calendar';

export interface PhotoFilters {
  people?: readonly string[];
  from?: string;
  to?: string;
  folder?: string;
  tag?: string;
  /** Read from the query text: two of a kind match EITHER (see datesClause). */
  dates?: readonly DateFilter[];
  /** Read from the query text: ANY of them. */
  places?: readonly PlaceFilter[];
  /** Quoted phrases: text written in the photo, ALL must match. */
  phrases?: readonly string[];
  /** For photos without GPS: which hemisphere a season is read in. */
  hemisphere?: Hemisphere;
}

/** A WHERE clause over `photos p` plus its parameters. */
export interface FilterSql {
  where: string;
  params: unknown[];
  /** True when anything beyond "the photo is indexed" restricts the set. */
  restrictive: boolean;
  /**
   * Set when the filter is exactly "indexed photos with a face of each of these people, taken within
   * these days": the candidates can then be read from the faces index alone, with the status checked
   * on the hits (text-search.ts), instead of the photos' rows one by one.
   */
  faces?: { personIds: number[]; days: DayBounds };
}

/**
 * Turns the user's filters into exact SQL over the ordinary tables (so they can be applied inside the
 * vector scan as a candidate set), after checking each one: an unknown person or tag is `not_found`,
 * an inverted date range `invalid_argument`, each with a message that says what to do.
 */
export function buildPhotoFilter(db: Db, filters: PhotoFilters, tagModelId: string | null): FilterSql {
  // With a person, the person's faces drive the query (within the dates' bounds: personFacesBetween) and
  // each photo is read by rowid. Left to itself SQLite checks each one through the
  // status index first (status, rowid), then reads the row anyway for the date: measured on the search
  // bench's 200k library, the unary + (which keeps the status index out) cut a person + date filter's
  // CPU from 2.6-3.0 ms to 1.1-2.2 ms. A covering photos(status, id, taken_at) index was measured too
  // and gave nothing. Other filters keep the plan.
  const clauses = [filters.people?.length ? "+p.status = 'indexed'" : "p.status = 'indexed'"];
  const params: unknown[] = [];
  if (filters.from && filters.to && filters.from > filters.to) {
    throw new FacetError('invalid_argument', `The date range is inverted: --from ${filters.from} is after --to ${filters.to}.`);
  }
  if (filters.from) {
    clauses.push('p.taken_at >= ?');
    params.push(filters.from);
  }
  if (filters.to) {
    // taken_at is ISO 8601, so "before the next day" keeps the whole --to day.
    clauses.push("p.taken_at < date(?, '+1 day')");
    params.push(filters.to);
  }
  if (filters.folder) {
    const prefix = path.resolve(filters.folder).replace(/[\\/]+$/, '') + path.sep;
    clauses.push('substr(p.path, 1, ?) = ?');
    params.push(prefix.length, prefix);
  }
  const days = filters.people?.length ? dateBounds(filters.dates ?? [], { from: filters.from ?? null, to: filters.to ?? null }) : null;
  const personIds = [...new Set(filters.people ?? [])].map((name) => personIdByName(db, name));
  for (const personId of personIds) {
    const faces = personFacesBetween(personId, days!);
    // Within the dates' bounds, the person's photos are one index range: a person + date filter reads
    // the ~800 photos of that person in those years, not the person's every photo (10,000 look-ups,
    // 14 ms, in the 1M-photo bench). The exact date clauses still check each photo's own date.
    clauses.push(`p.id IN (SELECT f.photo_id FROM faces f WHERE ${faces.where})`);
    params.push(...faces.params);
  }
  if (filters.tag) {
    assertTagExists(db, filters.tag);
    clauses.push('p.id IN (SELECT t.photo_id FROM photo_tags t WHERE t.tag = ? COLLATE NOCASE AND t.model_id = ?)');
    params.push(filters.tag, tagModelId);
  }
  for (const part of [
    datesClause(filters.dates ?? [], filters.hemisphere ?? 'north'),
    filters.places?.length ? placeClause(filters.places) : null,
    filters.phrases?.length ? photoTextClause(db, filters.phrases) : null,
  ]) {
    if (!part) continue;
    clauses.push(`(${part.sql})`);
    params.push(...part.params);
  }
  const onlyPeopleAndDays = personIds.length > 0 && !filters.folder && !filters.tag && !filters.places?.length && !filters.phrases?.length;
  return {
    where: clauses.join(' AND '),
    params,
    restrictive: clauses.length > 1,
    ...(onlyPeopleAndDays && boundsAreExact(filters.dates ?? []) ? { faces: { personIds, days: days! } } : {}),
  };
}

function personIdByName(db: Db, name: string): number {
  const row = db.prepare('SELECT id FROM people WHERE name = ? COLLATE NOCASE').get(name.trim()) as { id: number } | undefined;
  if (row) return row.id;
  const known = (db.prepare('SELECT name FROM people WHERE name IS NOT NULL ORDER BY name LIMIT 20').all() as { name: string }[]).map(
    (r) => r.name,
  );
  throw new FacetError(
    'not_found',
    `No person named "${name}". ${known.length ? `Known people: ${known.join(', ')}.` : 'Nobody has been named yet (facet people).'}`,
  );
}

function assertTagExists(db: Db, tag: string): void {
  const used = db.prepare('SELECT 1 FROM photo_tags WHERE tag = ? COLLATE NOCASE LIMIT 1').get(tag);
  const saved = db.prepare('SELECT 1 FROM saved_concepts WHERE name = ? COLLATE NOCASE').get(tag);
  if (!used && !saved) throw new FacetError('not_found', `No photo has the tag "${tag}". List the tags with: facet tags`);
}

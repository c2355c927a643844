import type { ParsedSearchQuery, SearchHit, SearchQuery } from '../../common/api/search';
import { searchQuerySchema } from '../../common/api/search';
import { FILE_STATUSES } from '../../common/api/library';
import { FacetError } from '../../common/errors';
import type { Db } from '../library/database';
import type { Library } from '../library/library';
import type { ClipModel } from '../ml/clip/clip-model';
import type { VectorTable } from '../library/vector-tables';
import { type VectorHit, findImageVectorTable, nearestImages } from '../library/image-vectors';
import { imageVectorIndex } from './vector-index';
import {
  amongPhotos,
  embeddedPhotosIn,
  idsMatching,
  indexedAmong,
  newestMatching,
  pathsAndDates,
  photosOfPersonBetween,
  taggedMatching,
} from '../library/search-queries';
import { buildPhotoFilter, type FilterSql, type PhotoFilters } from './search-filters';
import type { ParsedQuery } from '../../common/api/search-query';
import { worldPlaceName } from '../places/world-place-names';
import { activeImageModel } from './active-model';
import { photoTextMatches } from './photo-text-filter';
import { type Day, parseIsoDay } from './query/calendar';
import { libraryHemisphere, libraryVocabulary } from './query/library-vocabulary';
import { onlyStopWords, parseQuery as parseFreeText } from './query/parse-query';

export type { SearchHit, SearchQuery } from '../../common/api/search';

/**
 * Free-text search: the query is read into exact filters (people, dates, places, quoted text; see
 * query/parse-query.ts) that combine with the flags, and a visual remainder searched over the CLIP
 * image vectors with a relevance cutoff (the model's default, widenable). A query that is only
 * filters needs no CLIP model: it answers with the matching photos, newest first.
 */
export async function searchPhotos(
  library: Library,
  clipModel: ClipModel | (() => Promise<ClipModel>),
  query: SearchQuery,
): Promise<SearchHit[]> {
  const q = parseQuery(query);
  const { parsed, filters } = readSearch(library.db, q);
  if (parsed.visual) {
    // loaded only now: a query of filters alone must work without any CLIP model installed
    const clip = typeof clipModel === 'function' ? await loadClip(clipModel, parsed.visual) : clipModel;
    const embedding = await clip.embedText(promptFor(clip, parsed.visual));
    return searchByEmbedding(library, clip.modelId, embedding, filters, clip.config.defaultMinScore);
  }
  if (q.tag) return searchByEmbedding(library, activeImageModel(library.db) ?? '', null, filters, 0);
  // Text in photos ranks by how well the text matched (whole words first), unless a date order is asked for.
  if (filters.phrases?.length && q.sort === 'relevance') return photoTextSearch(library.db, filters);
  if (hasFilters(filters)) return filterSearch(library.db, filters);
  if (q.text.trim() && onlyStopWords(q.text)) {
    throw new FacetError(
      'invalid_argument',
      `"${q.text.trim()}" has only words like "the" or "photos of": say what, who, when or where, e.g. facet search "dog on a beach" or "Mina last summer".`,
    );
  }
  throw new FacetError('invalid_argument', 'The search query is empty: say what to look for, e.g. facet search "dog on a beach".');
}

/**
 * The storage half of a search, shared by searchPhotos and the benchmark: exact filters, k nearest
 * image vectors to the query embedding (or the tag's photos when there is none), cutoff, order.
 */
export async function searchByEmbedding(
  library: Library,
  modelId: string,
  embedding: Float32Array | null,
  q: ParsedSearchQuery & PhotoFilters,
  defaultMinScore: number,
): Promise<SearchHit[]> {
  const db = library.db;
  const filter = buildPhotoFilter(db, q, modelId);
  const hits = embedding ? await vectorSearch(db, modelId, embedding, q, filter, defaultMinScore) : tagSearch(db, modelId, q, filter);
  return order(toSearchHits(db, hits), q.sort);
}

/**
 * Loads CLIP for the visual words. When there is no model and those words are only a place name the
 * library has no photos of ("Seoul"), the user named a place, not a look: say that, not "install CLIP".
 */
async function loadClip(load: () => Promise<ClipModel>, visual: string): Promise<ClipModel> {
  try {
    return await load();
  } catch (error) {
    const place = error instanceof FacetError && error.code === 'model_missing' ? worldPlaceName(visual) : null;
    if (!place) throw error;
    throw new FacetError(
      'not_found',
      `No photos taken in ${place}: places come from the GPS of your photos, and none of them was taken there.`,
    );
  }
}

type SearchFilters = ParsedSearchQuery & PhotoFilters;

/** How the query text reads against this library, merged with the flags (--person, --from, …). */
export function readSearch(db: Db, q: ParsedSearchQuery): { parsed: ParsedQuery; filters: SearchFilters } {
  const parsed = interpretText(db, q.text, q.today);
  const filters: SearchFilters = {
    ...q,
    people: [...new Set([...q.people, ...parsed.people.map((p) => p.name)])],
    dates: parsed.dates,
    places: parsed.places,
    // --text and "quoted words" alike: text written in the photo
    phrases: [...new Set([...q.photoText, ...parsed.text])],
    hemisphere: libraryHemisphere(db),
  };
  return { parsed, filters };
}

/** The query text read against this library's people and places, relative to `today` (default: the local date). */
export function interpretText(db: Db, text: string, today?: string): ParsedQuery {
  const day = today ? parseIsoDay(today) : localToday();
  return parseFreeText(text, { vocabulary: libraryVocabulary(db), today: day, hemisphere: libraryHemisphere(db) });
}

function localToday(): Day {
  const now = new Date();
  return { y: now.getFullYear(), m: now.getMonth() + 1, d: now.getDate() };
}

function hasFilters(f: SearchFilters): boolean {
  return Boolean(f.people?.length || f.from || f.to || f.folder || f.dates?.length || f.places?.length || f.phrases?.length);
}

/**
 * A query whose only ranking signal is text written in the photos (no words left for CLIP): the photos
 * that pass every filter, best text match first (whole words, then words inside longer ones, then OCR
 * slips). Needs no CLIP model.
 */
function photoTextSearch(db: Db, filters: SearchFilters): SearchHit[] {
  const filter = buildPhotoFilter(db, filters, null);
  return toSearchHits(db, photoTextMatches(db, filters.phrases ?? [], filter.where, filter.params).slice(0, filters.limit));
}

/** A query that is only filters: the matching photos, newest first (photos without a date last). */
function filterSearch(db: Db, filters: SearchFilters): SearchHit[] {
  const filter = buildPhotoFilter(db, filters, null);
  return toSearchHits(db, newestMatching(db, filter, filters.limit));
}

export function parseQuery(query: SearchQuery): ParsedSearchQuery {
  const parsed = searchQuerySchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new FacetError('invalid_argument', `Invalid search: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
}

/**
 * CLIP was trained on captions, so a bare word or short phrase ("beach", "red car") matches better
 * wrapped in the model's template ("a photo of beach"); a sentence, or a query that already says it
 * is a photo, is caption-like and is left alone.
 */
export function promptFor(clip: ClipModel, text: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length > 4 || /\b(photo|picture|image|pic|selfie|screenshot)s?\b/i.test(text)) return text;
  return clip.prompt(text);
}

async function vectorSearch(
  db: Db,
  modelId: string,
  embedding: Float32Array,
  q: ParsedSearchQuery,
  filter: FilterSql,
  defaultMinScore: number,
): Promise<VectorHit[]> {
  const table = findImageVectorTable(db, modelId);
  if (!table) return [];
  const minScore = q.minScore ?? defaultMinScore;
  const nearest = await nearestFunction(db, table);
  const hits = filter.restrictive
    ? await filteredNearest(db, table, nearest, embedding, q.limit, filter)
    : await searchableNearest(db, nearest, embedding, q.limit, embeddedPhotosIn(db, NOT_SEARCHABLE, table.modelId));
  return hits.filter((h) => h.score >= minScore);
}

/**
 * Beyond this many embedded photos that are not searchable (missing, offline, …), a people-and-dates
 * filter checks each candidate's row instead of asking the scan for that many extra hits.
 */
const MAX_HIDDEN_FOR_FACES = 1000;

/**
 * A filter of people and dates only takes its candidates from the faces index (a few adjacent pages)
 * and checks the photos' status on the hits, like an unfiltered search: checking each candidate's row
 * costs one random read of the photos table per candidate, which from a cold database (a first search
 * of the day) measured 34–40 ms for a person's ~800 photos in two years at 1M, more than the search's
 * vector half. Any other filter is run as SQL over the photos' rows.
 */
async function filteredNearest(
  db: Db,
  table: VectorTable,
  nearest: Nearest,
  embedding: Float32Array,
  limit: number,
  filter: FilterSql,
): Promise<VectorHit[]> {
  const hidden = filter.faces ? embeddedPhotosIn(db, NOT_SEARCHABLE, table.modelId) : Infinity;
  if (filter.faces && hidden <= MAX_HIDDEN_FOR_FACES) {
    const { personIds, days } = filter.faces;
    const [first, ...others] = personIds.map((personId) => photosOfPersonBetween(db, personId, days));
    const withAll = others.map((ids) => new Set(ids));
    const candidates = first!.filter((id) => withAll.every((ids) => ids.has(id)));
    return searchableNearest(db, nearest, embedding, limit, hidden, candidates);
  }
  return nearest(embedding, limit, idsMatching(db, filter));
}

/** Every status but 'indexed': the photos a search must not return. */
const NOT_SEARCHABLE = FILE_STATUSES.filter((status) => status !== 'indexed');

type Nearest = (query: Float32Array, k: number, allowed?: readonly number[]) => Promise<VectorHit[]>;

/**
 * The in-memory ONNX Runtime scan (vector-index.ts) when it can be built, else sqlite-vec's own scan
 * over the same table with the candidates as a `rowid IN (…)` constraint: both exact.
 */
async function nearestFunction(db: Db, table: VectorTable): Promise<Nearest> {
  try {
    const index = await imageVectorIndex(db, table);
    return (query, k, allowed) => index.nearest(query, k, allowed);
  } catch {
    return async (query, k, allowed) => nearestImages(db, table, query, k, allowed ? amongPhotos(allowed) : undefined);
  }
}

/**
 * The nearest searchable photos (among `allowed` when given) without checking each candidate's status
 * first: the scan runs unconstrained (fastest) or over the candidates, asking for as many extra
 * neighbours as there are vectors of photos no longer searchable (missing, offline), so dropping those
 * keeps k exact (`hidden`: how many there are).
 */
async function searchableNearest(
  db: Db,
  nearest: Nearest,
  embedding: Float32Array,
  limit: number,
  hidden: number,
  allowed?: readonly number[],
): Promise<VectorHit[]> {
  const hits = await nearest(embedding, limit + hidden, allowed);
  if (hidden === 0) return hits;
  const searchable = indexedAmong(
    db,
    hits.map((h) => h.photoId),
  );
  return hits.filter((h) => searchable.has(h.photoId)).slice(0, limit);
}

/** `--tag X` without text: the photos carrying the tag, most confident first. */
function tagSearch(db: Db, modelId: string, q: ParsedSearchQuery, filter: FilterSql): VectorHit[] {
  return taggedMatching(db, q.tag, modelId, filter, q.limit);
}

export function toSearchHits(db: Db, hits: readonly VectorHit[]): SearchHit[] {
  if (hits.length === 0) return [];
  const rows = pathsAndDates(
    db,
    hits.map((h) => h.photoId),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return hits.flatMap((h) => {
    const row = byId.get(h.photoId);
    return row ? [{ photoId: h.photoId, photo: row.path, score: h.score, takenAt: row.taken_at }] : [];
  });
}

/** Date order shows the relevant photos (above the cutoff, within the limit) newest first. */
function order(hits: SearchHit[], sort: 'relevance' | 'date'): SearchHit[] {
  if (sort === 'relevance') return hits;
  return [...hits].sort((a, b) => (b.takenAt ?? '').localeCompare(a.takenAt ?? '') || b.score - a.score);
}

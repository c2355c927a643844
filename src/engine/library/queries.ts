import countries from 'i18n-iso-countries';
import type { Box, FaceInfo, FileInfo, FileStatus, FolderInfo, PhotoDetail, PhotoSummary, Point } from '../../common/api/library';
import { FacetError } from '../../common/errors';
import type { Db } from './database';
import { prepared } from './statements';
import { homeRelativePath } from '../util/home-path';

interface FaceRow {
  id: number;
  photo_id: number;
  path: string;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  score: number;
  landmarks: string;
  quality: number;
  person_id: number | null;
  person_name: string | null;
  confidence: number | null;
  suggested_person_id: number | null;
  suggested_name: string | null;
  suggestion_confidence: number | null;
}

const FACE_SELECT = `SELECT f.id, f.photo_id, p.path, f.box_x, f.box_y, f.box_w, f.box_h, f.score, f.landmarks, f.quality,
  f.person_id, pe.name AS person_name, f.confidence, f.suggested_person_id, sp.name AS suggested_name, f.suggestion_confidence
  FROM faces f JOIN photos p ON p.id = f.photo_id
  LEFT JOIN people pe ON pe.id = f.person_id
  LEFT JOIN people sp ON sp.id = f.suggested_person_id`;

function toFaceInfo(row: FaceRow): FaceInfo {
  const face: FaceInfo = {
    id: row.id,
    photo: row.path,
    photoId: row.photo_id,
    box: [row.box_x, row.box_y, row.box_w, row.box_h] as Box,
    score: row.score,
    landmarks: JSON.parse(row.landmarks) as Point[],
    quality: row.quality,
    person: row.person_id,
    personName: row.person_name,
    confidence: row.person_id === null ? null : row.confidence,
  };
  if (
    (row.person_id === null || row.person_name === null) &&
    row.suggested_person_id !== null &&
    row.suggested_name !== null &&
    row.suggestion_confidence !== null
  ) {
    face.suggestion = { personId: row.suggested_person_id, personName: row.suggested_name, confidence: row.suggestion_confidence };
  }
  return face;
}

/**
 * Faces in id order; of one photo; or (`unassigned`) those that belong to nobody yet, clearest first,
 * which is the order someone naming them wants to see them in.
 */
export function listFaces(db: Db, options: { photoId?: number; unassigned?: boolean; offset?: number; limit?: number } = {}): FaceInfo[] {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (options.photoId !== undefined) {
    conditions.push('f.photo_id = ?');
    params.push(options.photoId);
  }
  if (options.unassigned) conditions.push('f.person_id IS NULL');
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const order = options.unassigned ? 'f.quality DESC, f.id' : 'f.id';
  const rows = prepared(db, `${FACE_SELECT} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
    ...params,
    options.limit ?? -1,
    options.offset ?? 0,
  ) as FaceRow[];
  return rows.map(toFaceInfo);
}

export function listFiles(db: Db, options: { status?: FileStatus; offset?: number; limit?: number } = {}): FileInfo[] {
  const where = options.status ? 'WHERE p.status = ?' : '';
  const params: unknown[] = options.status ? [options.status] : [];
  const rows = prepared(
    db,
    `SELECT p.id, p.path, p.status, p.error, p.width, p.height, p.taken_at AS takenAt,
      (SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id) AS faces, p.gps_lat AS lat, p.gps_lon AS lon, pl.city AS city, pl.country AS country
      FROM photos p LEFT JOIN photo_places pl ON pl.photo_id = p.id ${where} ORDER BY p.path LIMIT ? OFFSET ?`,
  ).all(...params, options.limit ?? -1, options.offset ?? 0) as (Omit<FileInfo, 'place'> & {
    error: string | null;
    lat: number | null;
    lon: number | null;
    city: string | null;
    country: string | null;
  })[];
  return rows.map(({ error, lat, lon, city, country, ...rest }) => {
    const place =
      lat !== null && lon !== null ? { lat, lon, city, country: country ? (countries.getName(country, 'en') ?? country) : null } : null;
    const file = { ...rest, place };
    return file.status === 'indexed' || !error ? file : { ...file, error };
  });
}

const SUMMARY_COLUMNS = `p.id, p.path, p.width, p.height, p.taken_at AS takenAt, p.status,
  CASE WHEN p.taken_at IS NULL THEN p.mtime_ms END AS fileMtime, EXISTS (SELECT 1 FROM favourites v WHERE v.photo_id = p.id) AS favourite`;
/**
 * Grid order: capture date, newest first; photos without one last, by their file's modification date.
 * The expressions match the grid-order index (migration 006) exactly, so a page costs ~1 ms at 100k.
 */
export const GRID_ORDER = '(p.taken_at IS NULL), p.taken_at DESC, p.mtime_ms DESC, p.id DESC';
/** The unary + keeps SQLite from choosing the status index, so the grid-order index is used. */
const VISIBLE = "+p.status IN ('indexed','offline')";

type SummaryRow = Omit<PhotoSummary, 'fileDate' | 'favourite'> & { fileMtime: number | null; favourite: 0 | 1 };

/**
 * A summary row as the API gives it: the fallback date as ISO text, the favourite flag as a boolean.
 * Each is left out where it does not apply (most photos), so a page of 10,000 stays as small as before.
 */
export function toPhotoSummary({ fileMtime, favourite, ...row }: SummaryRow): PhotoSummary {
  const summary: PhotoSummary = row;
  if (fileMtime !== null) summary.fileDate = new Date(fileMtime).toISOString();
  if (favourite === 1) summary.favourite = true;
  return summary;
}

export interface PhotoSource {
  albumId?: number;
  favourites?: boolean;
}

function sourceClause(from: PhotoSource): { clause: string; params: number[] } {
  const where = [VISIBLE];
  const params: number[] = [];
  if (from.albumId !== undefined) {
    where.push('p.id IN (SELECT photo_id FROM album_photos WHERE album_id = ?)');
    params.push(from.albumId);
  }
  if (from.favourites) where.push('p.id IN (SELECT photo_id FROM favourites)');
  return { clause: where.join(' AND '), params };
}

/** Photos of the grid, or of one album or the favourites (`from` narrows the rows, the order stays). */
export function listPhotos(db: Db, offset = 0, limit = 500, from: PhotoSource = {}): { total: number; photos: PhotoSummary[] } {
  const { clause, params } = sourceClause(from);
  const total = (prepared(db, `SELECT COUNT(*) AS n FROM photos p WHERE ${clause}`).get(...params) as { n: number }).n;
  const rows = prepared(db, `SELECT ${SUMMARY_COLUMNS} FROM photos p WHERE ${clause} ORDER BY ${GRID_ORDER} LIMIT ? OFFSET ?`).all(
    ...params,
    limit,
    offset,
  ) as SummaryRow[];
  return { total, photos: rows.map(toPhotoSummary) };
}

/**
 * How many photos each month holds, in grid order (undated last as "unknown"): the date scrubber
 * places every month before its photos are loaded.
 */
export function monthCounts(db: Db, from: PhotoSource = {}): { month: string; count: number }[] {
  const { clause, params } = sourceClause(from);
  return prepared(
    db,
    `SELECT COALESCE(substr(p.taken_at, 1, 7), 'unknown') AS month, COUNT(*) AS count FROM photos p WHERE ${clause}
      GROUP BY month ORDER BY (month = 'unknown'), month DESC`,
  ).all(...params) as { month: string; count: number }[];
}

export function photoDetail(db: Db, id: number): PhotoDetail {
  const row = prepared(
    db,
    `SELECT ${SUMMARY_COLUMNS}, p.size, p.format, p.camera_make, p.camera_model, p.gps_lat, p.gps_lon FROM photos p WHERE p.id = ?`,
  ).get(id) as
    | (SummaryRow & {
        size: number;
        format: string | null;
        camera_make: string | null;
        camera_model: string | null;
        gps_lat: number | null;
        gps_lon: number | null;
      })
    | undefined;
  if (!row) throw new FacetError('not_found', `No photo with id ${id}.`);
  const { camera_make, camera_model, gps_lat, gps_lon, size, format, ...summary } = row;
  const rest = { ...toPhotoSummary(summary), size, format };
  const camera = [camera_make, camera_model].filter(Boolean).join(' ') || null;
  return {
    ...rest,
    camera,
    gps: gps_lat !== null && gps_lon !== null ? { lat: gps_lat, lon: gps_lon } : null,
    faces: listFaces(db, { photoId: id }),
  };
}

export function listFolders(db: Db): FolderInfo[] {
  const rows = prepared(
    db,
    `SELECT f.id, f.path, f.status, f.last_scan_at AS lastScanAt,
      (SELECT COUNT(*) FROM photos p WHERE p.folder_id = f.id AND p.status != 'missing') AS photos FROM folders f ORDER BY f.path`,
  ).all() as Omit<FolderInfo, 'displayPath'>[];
  return rows.map((row) => ({ ...row, displayPath: homeRelativePath(row.path) }));
}

export function countStatuses(db: Db): Record<FileStatus | 'faces' | 'unassignedFaces' | 'people' | 'photos', number> {
  const counts = {
    photos: 0,
    indexed: 0,
    failed: 0,
    unsupported: 0,
    missing: 0,
    offline: 0,
    pending: 0,
    faces: 0,
    unassignedFaces: 0,
    people: 0,
  };
  for (const row of prepared(db, 'SELECT status, COUNT(*) AS n FROM photos GROUP BY status').all() as { status: FileStatus; n: number }[]) {
    counts[row.status] = row.n;
    counts.photos += row.n;
  }
  counts.faces = (prepared(db, 'SELECT COUNT(*) AS n FROM faces').get() as { n: number }).n;
  counts.unassignedFaces = (prepared(db, 'SELECT COUNT(*) AS n FROM faces WHERE person_id IS NULL').get() as { n: number }).n;
  counts.people = (
    prepared(
      db,
      'SELECT COUNT(*) AS n FROM people WHERE id IN (SELECT DISTINCT person_id FROM faces WHERE person_id IS NOT NULL)',
    ).get() as { n: number }
  ).n;
  return counts;
}

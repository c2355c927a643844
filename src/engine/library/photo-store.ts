import type { FileStatus } from '../../common/api/library';
import type { PhotoMetadata } from '../scan/exif';
import type { Db } from './database';
import { prepared } from './statements';

export interface PhotoRow {
  id: number;
  folder_id: number | null;
  path: string;
  size: number;
  mtime_ms: number;
  content_hash: string | null;
  status: FileStatus;
  error: string | null;
  thumbnail: string | null;
}

/** Where a photo's original and thumbnail are, for serving or opening them. */
export interface PhotoFileRow {
  path: string;
  thumbnail: string | null;
  status: string;
  format: string | null;
}

/**
 * Every SQL statement about photo and folder rows, so the pipeline reads as a sequence of intents.
 * Statements are cached per connection (statements.ts), so a store is cheap to make where needed.
 */
export class PhotoStore {
  constructor(private readonly db: Db) {}

  /** Forgetting a folder keeps its photos' rows (names live there) but stops scanning it. */
  removeFolder(folderId: number): boolean {
    return prepared(this.db, 'DELETE FROM folders WHERE id = ?').run(folderId).changes > 0;
  }

  exists(photoId: number): boolean {
    return prepared(this.db, 'SELECT 1 FROM photos WHERE id = ?').get(photoId) !== undefined;
  }

  idByPath(path: string): number | undefined {
    return (prepared(this.db, 'SELECT id FROM photos WHERE path = ?').get(path) as { id: number } | undefined)?.id;
  }

  fileRow(photoId: number): PhotoFileRow | undefined {
    return prepared(this.db, 'SELECT path, thumbnail, status, format FROM photos WHERE id = ?').get(photoId) as PhotoFileRow | undefined;
  }

  setPerceptualHash(photoId: number, hash: string): void {
    prepared(this.db, 'UPDATE photos SET perceptual_hash = ? WHERE id = ?').run(hash, photoId);
  }

  ensureFolder(path: string): number {
    prepared(this.db, 'INSERT INTO folders (path) VALUES (?) ON CONFLICT(path) DO NOTHING').run(path);
    return (prepared(this.db, 'SELECT id FROM folders WHERE path = ?').get(path) as { id: number }).id;
  }

  setFolderStatus(folderId: number, status: 'online' | 'offline'): void {
    prepared(
      this.db,
      "UPDATE folders SET status = ?, last_scan_at = CASE WHEN ? = 'online' THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') ELSE last_scan_at END WHERE id = ?",
    ).run(status, status, folderId);
  }

  /** An unplugged drive: its photos stay, with their faces and names, marked offline. */
  markFolderOffline(folderId: number): number {
    this.setFolderStatus(folderId, 'offline');
    return prepared(
      this.db,
      "UPDATE photos SET status = 'offline' WHERE folder_id = ? AND status IN ('indexed','pending','failed','unsupported')",
    ).run(folderId).changes;
  }

  byPath(path: string): PhotoRow | undefined {
    return prepared(this.db, 'SELECT * FROM photos WHERE path = ?').get(path) as PhotoRow | undefined;
  }

  photosInFolder(folderId: number): PhotoRow[] {
    return prepared(this.db, 'SELECT * FROM photos WHERE folder_id = ?').all(folderId) as PhotoRow[];
  }

  /** A missing photo with the same content: the file was moved or renamed, so it keeps its faces. */
  missingWithHash(hash: string): PhotoRow | undefined {
    return prepared(this.db, "SELECT * FROM photos WHERE content_hash = ? AND status = 'missing' ORDER BY id LIMIT 1").get(hash) as
      PhotoRow | undefined;
  }

  insertPending(folderId: number, path: string, size: number, mtimeMs: number): number {
    const info = prepared(this.db, "INSERT INTO photos (folder_id, path, size, mtime_ms, status) VALUES (?, ?, ?, ?, 'pending')").run(
      folderId,
      path,
      size,
      mtimeMs,
    );
    return Number(info.lastInsertRowid);
  }

  /** In flight: the file's current size and mtime, so a photo that crashes the worker is known by them. */
  /** `note` stays on the row while it is read (crash-recovery.ts tells a suspect read alone by it). */
  markPending(id: number, size: number, mtimeMs: number, note: string | null = null): void {
    prepared(this.db, "UPDATE photos SET status = 'pending', error = ?, size = ?, mtime_ms = ? WHERE id = ?").run(note, size, mtimeMs, id);
  }

  /** Photos an index run had started and not finished: pending with no note, or with `readingNote`. */
  inFlight(readingNote: string): PhotoRow[] {
    return prepared(this.db, "SELECT * FROM photos WHERE status = 'pending' AND (error IS NULL OR error = ?)").all(
      readingNote,
    ) as PhotoRow[];
  }

  /** Keeps photos pending with a note: the next run reads them one at a time (see crash-recovery.ts). */
  notePending(ids: number[], note: string): void {
    const statement = prepared(this.db, "UPDATE photos SET error = ? WHERE id = ? AND status = 'pending'");
    this.db.transaction(() => ids.forEach((id) => statement.run(note, id))).immediate();
  }

  markMissing(ids: number[]): void {
    const statement = prepared(this.db, "UPDATE photos SET status = 'missing' WHERE id = ?");
    for (const id of ids) statement.run(id);
  }

  /** Moves a row to a new path; a pending row that was created for the new path is dropped first. */
  movePhoto(photoId: number, folderId: number, path: string, size: number, mtimeMs: number, pendingIdAtNewPath?: number): void {
    if (pendingIdAtNewPath !== undefined && pendingIdAtNewPath !== photoId)
      prepared(this.db, 'DELETE FROM photos WHERE id = ?').run(pendingIdAtNewPath);
    prepared(
      this.db,
      "UPDATE photos SET folder_id = ?, path = ?, size = ?, mtime_ms = ?, status = 'indexed', error = NULL WHERE id = ?",
    ).run(folderId, path, size, mtimeMs, photoId);
  }

  /** Same bytes, new mtime (touched or copied back): no decode needed. */
  touch(photoId: number, size: number, mtimeMs: number, status: FileStatus): void {
    prepared(this.db, 'UPDATE photos SET size = ?, mtime_ms = ?, status = ? WHERE id = ?').run(size, mtimeMs, status, photoId);
  }

  setStatus(
    photoId: number,
    status: FileStatus,
    error: string | null,
    fields: { size: number; mtimeMs: number; contentHash?: string | null; format?: string | null },
  ): void {
    prepared(
      this.db,
      'UPDATE photos SET status = ?, error = ?, size = ?, mtime_ms = ?, content_hash = COALESCE(?, content_hash), format = COALESCE(?, format) WHERE id = ?',
    ).run(status, error, fields.size, fields.mtimeMs, fields.contentHash ?? null, fields.format ?? null, photoId);
  }

  saveIndexed(photoId: number, row: IndexedPhotoFields): void {
    prepared(
      this.db,
      `UPDATE photos SET status = 'indexed', error = NULL, size = @size, mtime_ms = @mtimeMs, content_hash = @contentHash,
        format = @format, width = @width, height = @height, taken_at = @takenAt, orientation = @orientation,
        gps_lat = @gpsLat, gps_lon = @gpsLon, camera_make = @cameraMake, camera_model = @cameraModel,
        sharpness = @sharpness, thumbnail = @thumbnail, face_model_id = @faceModelId,
        indexed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = @photoId`,
    ).run({ ...row, photoId });
  }
}

/**
 * A photo registered as already indexed, without reading its file: the benchmarks' synthetic libraries
 * and the test fixtures (what `facet index` would have left). Unset fields are NULL, size 1, mtime 0.
 */
export interface RegisteredPhoto {
  /** A chosen id (benches that address photos by number); a new one when unset. */
  id?: number;
  folderId?: number | null;
  path: string;
  size?: number;
  mtimeMs?: number;
  contentHash?: string | null;
  format?: string | null;
  width?: number | null;
  height?: number | null;
  takenAt?: string | null;
  gpsLat?: number | null;
  gpsLon?: number | null;
  perceptualHash?: string | null;
  faceModelId?: string | null;
  indexedAt?: string | null;
  /** The thumbnail's name under thumbs/, as indexing records it. */
  thumbnail?: string | null;
}

/**
 * Returns the photo id. A path registered before is an error, or with `onExistingPath: 'redate'` gets
 * only the new date (a fixture's later "index run" of the same photo).
 */
export function registerIndexedPhoto(db: Db, photo: RegisteredPhoto, onExistingPath: 'fail' | 'redate' = 'fail'): number {
  const onConflict = onExistingPath === 'redate' ? 'ON CONFLICT(path) DO UPDATE SET taken_at = excluded.taken_at' : '';
  const row = prepared(
    db,
    `INSERT INTO photos (id, folder_id, path, size, mtime_ms, content_hash, status, format, width, height, taken_at, gps_lat, gps_lon, perceptual_hash, face_model_id, indexed_at, thumbnail)
     VALUES (@id, @folderId, @path, @size, @mtimeMs, @contentHash, 'indexed', @format, @width, @height, @takenAt, @gpsLat, @gpsLon, @perceptualHash, @faceModelId, @indexedAt, @thumbnail)
     ${onConflict} RETURNING id`,
  ).get({
    id: photo.id ?? null,
    folderId: photo.folderId ?? null,
    path: photo.path,
    size: photo.size ?? 1,
    mtimeMs: photo.mtimeMs ?? 0,
    contentHash: photo.contentHash ?? null,
    format: photo.format ?? null,
    width: photo.width ?? null,
    height: photo.height ?? null,
    takenAt: photo.takenAt ?? null,
    gpsLat: photo.gpsLat ?? null,
    gpsLon: photo.gpsLon ?? null,
    perceptualHash: photo.perceptualHash ?? null,
    faceModelId: photo.faceModelId ?? null,
    indexedAt: photo.indexedAt ?? null,
    thumbnail: photo.thumbnail ?? null,
  }) as { id: number };
  return row.id;
}

/** What duplicate finding compares: the photo's size, sharpness and both hashes. */
export interface PhotoFingerprint {
  id: number;
  path: string;
  width: number | null;
  height: number | null;
  size: number;
  sharpness: number | null;
  contentHash: string | null;
  perceptualHash: string | null;
}

/** Every indexed photo's fingerprint, in id order. */
export function indexedPhotoFingerprints(db: Db): PhotoFingerprint[] {
  return prepared(
    db,
    `SELECT id, path, width, height, size, sharpness, content_hash AS contentHash, perceptual_hash AS perceptualHash
     FROM photos WHERE status = 'indexed' ORDER BY id`,
  ).all() as PhotoFingerprint[];
}

export interface IndexedPhotoFields {
  size: number;
  mtimeMs: number;
  contentHash: string;
  format: string;
  width: number;
  height: number;
  takenAt: string | null;
  orientation: number | null;
  gpsLat: number | null;
  gpsLon: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
  sharpness: number;
  thumbnail: string;
  faceModelId: string | null;
}

export function metadataFields(
  meta: PhotoMetadata,
): Pick<IndexedPhotoFields, 'takenAt' | 'orientation' | 'gpsLat' | 'gpsLon' | 'cameraMake' | 'cameraModel'> {
  return {
    takenAt: meta.takenAt,
    orientation: meta.orientation,
    gpsLat: meta.gps?.lat ?? null,
    gpsLon: meta.gps?.lon ?? null,
    cameraMake: meta.cameraMake,
    cameraModel: meta.cameraModel,
  };
}

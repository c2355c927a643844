import { FacetError } from '../../common/errors';
import type { Db } from './database';

export interface AlbumRow {
  id: number;
  name: string;
  photos: number;
  coverPhotoId: number | null;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

/**
 * Every SQL statement about what a user organizes by hand: favourites, albums and the pairs they said
 * are not duplicates (tables of migration 006). Photo ids are checked, so a stale id is refused with
 * `not_found` rather than silently dropped by a foreign key.
 */
export class OrganizerStore {
  constructor(private readonly db: Db) {}

  private requirePhotos(photoIds: readonly number[]): number[] {
    const ids = [...new Set(photoIds)];
    const found = this.db
      .prepare(`SELECT COUNT(*) FROM photos WHERE id IN (${placeholders(ids.length)})`)
      .pluck()
      .get(...ids) as number;
    if (found !== ids.length)
      throw new FacetError('not_found', `Some of these photos do not exist: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}.`);
    return ids;
  }

  setFavourite(photoIds: readonly number[], favourite: boolean): number {
    const ids = this.requirePhotos(photoIds);
    const statement = favourite
      ? this.db.prepare('INSERT OR IGNORE INTO favourites (photo_id) VALUES (?)')
      : this.db.prepare('DELETE FROM favourites WHERE photo_id = ?');
    return this.db.transaction(() => ids.reduce((n, id) => n + statement.run(id).changes, 0))();
  }

  albums(): AlbumRow[] {
    return this.db
      .prepare(
        `SELECT a.id, a.name, COUNT(ap.photo_id) AS photos,
          (SELECT ap2.photo_id FROM album_photos ap2 WHERE ap2.album_id = a.id ORDER BY ap2.added_at, ap2.photo_id LIMIT 1) AS coverPhotoId
        FROM albums a LEFT JOIN album_photos ap ON ap.album_id = a.id GROUP BY a.id ORDER BY a.name COLLATE NOCASE`,
      )
      .all() as AlbumRow[];
  }

  album(id: number): AlbumRow {
    const album = this.albums().find((a) => a.id === id);
    if (!album) throw new FacetError('not_found', `No album with id ${id}.`);
    return album;
  }

  /** Album names are unique regardless of case: "Holiday" and "holiday" would be one album to a user. */
  createAlbum(name: string, photoIds: readonly number[] = []): AlbumRow {
    return this.db.transaction(() => {
      this.refuseTakenName(name);
      const id = Number(this.db.prepare('INSERT INTO albums (name) VALUES (?)').run(name).lastInsertRowid);
      if (photoIds.length > 0) this.addToAlbum(id, photoIds);
      return this.album(id);
    })();
  }

  renameAlbum(id: number, name: string): AlbumRow {
    this.album(id);
    this.refuseTakenName(name, id);
    this.db.prepare('UPDATE albums SET name = ? WHERE id = ?').run(name, id);
    return this.album(id);
  }

  /** Deletes the album only; its photos stay in the library. */
  deleteAlbum(id: number): boolean {
    return this.db.prepare('DELETE FROM albums WHERE id = ?').run(id).changes > 0;
  }

  addToAlbum(albumId: number, photoIds: readonly number[]): number {
    this.album(albumId);
    const ids = this.requirePhotos(photoIds);
    const insert = this.db.prepare('INSERT OR IGNORE INTO album_photos (album_id, photo_id) VALUES (?, ?)');
    return this.db.transaction(() => ids.reduce((n, id) => n + insert.run(albumId, id).changes, 0))();
  }

  removeFromAlbum(albumId: number, photoIds: readonly number[]): number {
    this.album(albumId);
    const remove = this.db.prepare('DELETE FROM album_photos WHERE album_id = ? AND photo_id = ?');
    return this.db.transaction(() => photoIds.reduce((n, id) => n + remove.run(albumId, id).changes, 0))();
  }

  /** Each indexed photo's albums, by name, for the XMP sidecars (MWG collections). */
  albumMemberships(): { photoId: number; path: string; width: number; height: number; album: string }[] {
    return this.db
      .prepare(
        `SELECT ph.id AS photoId, ph.path, ph.width, ph.height, a.name AS album FROM album_photos ap JOIN albums a ON a.id = ap.album_id JOIN photos ph ON ph.id = ap.photo_id
         WHERE ph.status = 'indexed' AND ph.width > 0 AND ph.height > 0 ORDER BY ph.id, a.name COLLATE NOCASE`,
      )
      .all() as { photoId: number; path: string; width: number; height: number; album: string }[];
  }

  /** "Not duplicates": every pair among these photos is remembered, so they are never grouped again. */
  markNotDuplicates(photoIds: readonly number[]): number {
    const ids = this.requirePhotos(photoIds).sort((a, b) => a - b);
    const insert = this.db.prepare('INSERT OR IGNORE INTO not_duplicates (photo_a, photo_b) VALUES (?, ?)');
    return this.db.transaction(() => {
      let added = 0;
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) added += insert.run(ids[i], ids[j]).changes;
      return added;
    })();
  }

  /** True when the user said these two photos are not duplicates. */
  notDuplicatePairs(): (a: number, b: number) => boolean {
    const pairs = new Set(this.db.prepare("SELECT photo_a || ':' || photo_b FROM not_duplicates").pluck().all() as string[]);
    return (a, b) => pairs.has(a < b ? `${a}:${b}` : `${b}:${a}`);
  }

  private refuseTakenName(name: string, except?: number): void {
    const owner = this.db.prepare('SELECT id FROM albums WHERE name = ?').pluck().get(name) as number | undefined;
    if (owner !== undefined && owner !== except) throw new FacetError('conflict', `There is already an album called "${name}".`);
  }
}

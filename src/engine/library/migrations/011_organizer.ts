import type { Migration } from './migration';

/**
 * What a user organizes by hand: favourites, albums, and groups they said are "not duplicates". All of
 * it hangs off photo ids, which survive re-indexing, moves and renames exactly as names on faces do
 * (a moved file keeps its photo row, found again by its content hash; a deleted one is kept as missing).
 *
 * The grid's order changes too: photos without a capture date go last, by the file's modification
 * date, instead of first by when they happened to be indexed.
 */
export const migration011Organizer: Migration = {
  version: 11,
  name: 'organizer',
  up: (db) => {
    db.exec(`
      CREATE TABLE favourites (
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE albums (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE album_photos (
        album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (album_id, photo_id)
      ) WITHOUT ROWID;
      CREATE INDEX album_photos_by_photo ON album_photos (photo_id);
      -- A pair the user said is not a duplicate; photo_a < photo_b so each pair has one row.
      CREATE TABLE not_duplicates (
        photo_a INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        photo_b INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        PRIMARY KEY (photo_a, photo_b),
        CHECK (photo_a < photo_b)
      ) WITHOUT ROWID;
      DROP INDEX IF EXISTS photos_grid_order;
      CREATE INDEX photos_grid_order ON photos ((taken_at IS NULL), taken_at DESC, mtime_ms DESC, id DESC);
    `);
  },
};

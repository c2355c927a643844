import type { Migration } from './migration';

/**
 * Text in photos (OCR). Every photo gets a scan row once the cheap low-resolution pass has looked at
 * it: 'none' (no text there), 'candidate' (text found; the full read is pending, it runs after faces)
 * or 'read' (lines stored). A photo without a scan row for the current model is backfilled.
 */
export const migration008PhotoText: Migration = {
  version: 8,
  name: 'photo-text',
  up: (db) => {
    db.exec(`
      CREATE TABLE photo_text_scans (
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('none', 'candidate', 'read')),
        -- Text regions the detector found, and whether more than the cap were (only the strongest are read).
        regions INTEGER NOT NULL DEFAULT 0,
        truncated INTEGER NOT NULL DEFAULT 0,
        scanned_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX photo_text_scans_state ON photo_text_scans(state, model_id);

      -- One row per recognised line. The rectangle is in the upright original's pixels: centre, sides
      -- (width along the reading direction) and the reading direction's angle in radians.
      CREATE TABLE photo_text_lines (
        id INTEGER PRIMARY KEY,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        line_no INTEGER NOT NULL,
        text TEXT NOT NULL,
        -- NFKC, lower case: what search compares.
        norm TEXT NOT NULL,
        confidence REAL NOT NULL,
        language TEXT NOT NULL,
        cx REAL NOT NULL,
        cy REAL NOT NULL,
        width REAL NOT NULL,
        height REAL NOT NULL,
        angle REAL NOT NULL,
        UNIQUE (photo_id, line_no)
      );
    `);
  },
};

import type { Migration } from './migration';

/**
 * The spine: folders, photos, faces, people, and the registry of per-model vector tables.
 * Photo rows are never deleted because a path went missing: `status` records it, so names and
 * faces survive an unplugged drive or a moved file (matched back by content hash).
 */
export const migration001Core: Migration = {
  version: 1,
  name: 'core',
  up: (db) => {
    db.exec(`
      CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        status TEXT NOT NULL DEFAULT 'online' CHECK (status IN ('online','offline')),
        last_scan_at TEXT
      );

      CREATE TABLE photos (
        id INTEGER PRIMARY KEY,
        folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        content_hash TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending','indexed','failed','unsupported','missing','offline')),
        error TEXT,
        format TEXT,
        width INTEGER,
        height INTEGER,
        taken_at TEXT,
        orientation INTEGER,
        gps_lat REAL,
        gps_lon REAL,
        camera_make TEXT,
        camera_model TEXT,
        perceptual_hash TEXT,
        sharpness REAL,
        thumbnail TEXT,
        face_model_id TEXT,
        indexed_at TEXT
      );
      CREATE INDEX photos_status ON photos(status);
      CREATE INDEX photos_hash ON photos(content_hash);
      CREATE INDEX photos_taken_at ON photos(taken_at);
      CREATE INDEX photos_folder ON photos(folder_id);

      CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        name TEXT,
        hidden INTEGER NOT NULL DEFAULT 0,
        cover_face_id INTEGER,
        birth_date TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE UNIQUE INDEX people_name ON people(name COLLATE NOCASE) WHERE name IS NOT NULL;

      -- Boxes and landmarks are in the upright original's pixels.
      -- assignment: how person_id was set. 'confirmed' is a user must-link no re-run may undo;
      -- 'auto' was set by clustering or recognition and may be revised.
      CREATE TABLE faces (
        id INTEGER PRIMARY KEY,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        box_x REAL NOT NULL, box_y REAL NOT NULL, box_w REAL NOT NULL, box_h REAL NOT NULL,
        score REAL NOT NULL,
        landmarks TEXT NOT NULL,
        quality REAL NOT NULL,
        blur REAL,
        pose REAL,
        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        assignment TEXT CHECK (assignment IN ('auto','confirmed')),
        confidence REAL,
        suggested_person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        suggestion_confidence REAL,
        clustered_at TEXT
      );
      CREATE INDEX faces_photo ON faces(photo_id);
      CREATE INDEX faces_person ON faces(person_id);
      CREATE INDEX faces_unclustered ON faces(clustered_at) WHERE clustered_at IS NULL;

      -- A face the user removed from a person is never put back into that person.
      CREATE TABLE face_rejections (
        face_id INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        PRIMARY KEY (face_id, person_id)
      );

      -- One vec0 table per (kind, model): a model with another dimension lives beside the old one.
      CREATE TABLE vector_tables (
        table_name TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('face','image')),
        model_id TEXT NOT NULL,
        dimensions INTEGER NOT NULL,
        metric TEXT NOT NULL DEFAULT 'cosine',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (kind, model_id)
      );

      -- Which models have embedded which photo (CLIP backfill resumes from here).
      CREATE TABLE photo_embeddings (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        embedded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (photo_id, model_id)
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};

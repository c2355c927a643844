import type { Migration } from './migration';

/**
 * People's own state beyond the core tables: the undo log of user edits. Each entry holds the
 * before-image of every row the edit touched (people, faces' person columns, rejections), so undo
 * restores exactly what was there, whatever the edit was.
 */
export const migration002People: Migration = {
  version: 2,
  name: 'people',
  up: (db) => {
    db.exec(`
      CREATE TABLE people_undo (
        id INTEGER PRIMARY KEY,
        operation TEXT NOT NULL,
        summary TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX faces_suggested ON faces(suggested_person_id) WHERE suggested_person_id IS NOT NULL;
    `);
  },
};

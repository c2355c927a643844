import type { Migration } from './migration';

/**
 * Search: zero-shot tags and the user's saved concepts. CLIP image vectors themselves live in the
 * per-model vec0 tables (vector_tables, kind 'image'), and photo_embeddings records who embedded what.
 */
export const migration003Search: Migration = {
  version: 3,
  name: 'search',
  up: (db) => {
    db.exec(`
      -- Concepts the user added as a saved prompt (the built-in vocabulary ships with the app).
      CREATE TABLE saved_concepts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        prompt TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE UNIQUE INDEX saved_concepts_name ON saved_concepts(name COLLATE NOCASE);

      -- Zero-shot tags above their threshold: score is the cosine similarity, confidence the
      -- z-score of that similarity among all concepts for this photo (what the threshold applies to).
      CREATE TABLE photo_tags (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        score REAL NOT NULL,
        confidence REAL NOT NULL,
        PRIMARY KEY (photo_id, model_id, tag)
      );
      CREATE INDEX photo_tags_tag ON photo_tags(tag COLLATE NOCASE, model_id);

      -- Per photo and model, the mean and spread of its similarity to the whole vocabulary, so a
      -- concept saved later is scored on the same scale without re-reading every concept.
      CREATE TABLE photo_concept_stats (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        mean REAL NOT NULL,
        std REAL NOT NULL,
        PRIMARY KEY (photo_id, model_id)
      );
    `);
  },
};

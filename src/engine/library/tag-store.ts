import type { Db } from './database';
import { prepared, preparedPluck } from './statements';

/** One scored tag of a photo (cosine `score`, z-score `confidence` over the vocabulary). */
export interface StoredTag {
  tag: string;
  score: number;
  confidence: number;
}

/** A photo's similarity statistics over the whole vocabulary, which put a later concept on the same scale. */
export interface ConceptStats {
  photoId: number;
  mean: number;
  std: number;
}

/**
 * Tags and concepts (photo_tags, photo_concept_stats, saved_concepts): zero-shot tags per photo and
 * model, and the user's saved concepts.
 */
export function replacePhotoTags(
  db: Db,
  photoId: number,
  modelId: string,
  tags: readonly StoredTag[],
  stats: { mean: number; std: number },
): void {
  prepared(db, 'DELETE FROM photo_tags WHERE photo_id = ? AND model_id = ?').run(photoId, modelId);
  const insert = prepared(db, 'INSERT INTO photo_tags (photo_id, model_id, tag, score, confidence) VALUES (?, ?, ?, ?, ?)');
  for (const t of tags) insert.run(photoId, modelId, t.tag, t.score, t.confidence);
  prepared(db, 'INSERT OR REPLACE INTO photo_concept_stats (photo_id, model_id, mean, std) VALUES (?, ?, ?, ?)').run(
    photoId,
    modelId,
    stats.mean,
    stats.std,
  );
}

/** Tags in use for a model with their photo counts, most used first. */
export function tagCounts(db: Db, modelId: string): { tag: string; photos: number }[] {
  return prepared(
    db,
    'SELECT tag, count(*) AS photos FROM photo_tags WHERE model_id = ? GROUP BY tag COLLATE NOCASE ORDER BY photos DESC, tag',
  ).all(modelId) as {
    tag: string;
    photos: number;
  }[];
}

export function conceptStats(db: Db, modelId: string): ConceptStats[] {
  return prepared(db, 'SELECT photo_id AS photoId, mean, std FROM photo_concept_stats WHERE model_id = ?').all(modelId) as ConceptStats[];
}

/** The user's saved concepts, oldest first. */
export function savedConceptRows(db: Db): { name: string; prompt: string }[] {
  return prepared(db, 'SELECT name, prompt FROM saved_concepts ORDER BY id').all() as { name: string; prompt: string }[];
}

/** A saved concept's name as the user spelled it (names are unique without regard to case). */
export function savedConceptName(db: Db, name: string): string | undefined {
  return (prepared(db, 'SELECT name FROM saved_concepts WHERE name = ? COLLATE NOCASE').get(name) as { name: string } | undefined)?.name;
}

/** Saves (or re-prompts) a concept and replaces its tags for one model. */
/** Saves (or renames the prompt of) a concept of the user's; its photos are tagged by the tag-concept job. */
export function saveConcept(db: Db, name: string, prompt: string): void {
  prepared(
    db,
    'INSERT INTO saved_concepts (name, prompt) VALUES (?, ?) ON CONFLICT(name COLLATE NOCASE) DO UPDATE SET prompt = excluded.prompt',
  ).run(name, prompt);
}

/** A concept's earlier tags for a model go before it is scored again (its prompt may have changed). */
export function clearConceptTags(db: Db, name: string, modelId: string): void {
  prepared(db, 'DELETE FROM photo_tags WHERE tag = ? COLLATE NOCASE AND model_id = ?').run(name, modelId);
}

export function insertConceptTag(db: Db, name: string, modelId: string, tag: { photoId: number; score: number; confidence: number }): void {
  prepared(db, 'INSERT INTO photo_tags (photo_id, model_id, tag, score, confidence) VALUES (?, ?, ?, ?, ?)').run(
    tag.photoId,
    modelId,
    name,
    tag.score,
    tag.confidence,
  );
}

export function conceptPhotoCount(db: Db, name: string, modelId: string): number {
  return preparedPluck(db, 'SELECT count(*) FROM photo_tags WHERE tag = ? COLLATE NOCASE AND model_id = ?').get(name, modelId) as number;
}

/** Forgets a saved concept; its tags go too unless a built-in concept carries the same name. */
export function removeSavedConcept(db: Db, name: string, keepTags: boolean): boolean {
  return db.transaction(() => {
    const removed = prepared(db, 'DELETE FROM saved_concepts WHERE name = ? COLLATE NOCASE').run(name).changes > 0;
    if (removed && !keepTags) prepared(db, 'DELETE FROM photo_tags WHERE tag = ? COLLATE NOCASE').run(name);
    return removed;
  })();
}

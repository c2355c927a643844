import type { Db } from '../library/database';

const inList = (ids: readonly number[]): string => ids.map((id) => Number(id)).join(',') || 'NULL';

/** The user says these faces are this person: a must-link no clustering run undoes. */
export function confirmFaces(db: Db, faceIds: readonly number[], personId: number): void {
  db.prepare(`UPDATE faces SET person_id = ?, assignment = 'confirmed', confidence = 1, suggested_person_id = NULL, suggestion_confidence = NULL,
    clustered_at = COALESCE(clustered_at, strftime('%Y-%m-%dT%H:%M:%fZ','now')) WHERE id IN (${inList(faceIds)})`).run(personId);
  db.prepare(`DELETE FROM face_rejections WHERE person_id = ? AND face_id IN (${inList(faceIds)})`).run(personId);
}

/** Remembers that a face is not this person: clustering never puts it back. */
export function rememberRejection(db: Db, faceId: number, personId: number): void {
  db.prepare('INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)').run(faceId, personId);
}

/** Takes faces out of their person; the next clustering run decides them again (never into a rejected person). */
export function unassignFaces(db: Db, faceIds: readonly number[]): void {
  db.prepare(`UPDATE faces SET person_id = NULL, assignment = NULL, confidence = NULL, clustered_at = NULL WHERE id IN (${inList(faceIds)})`).run();
}

export function createPerson(db: Db, name: string | null): number {
  return Number(db.prepare('INSERT INTO people (name) VALUES (?)').run(name).lastInsertRowid);
}

/**
 * After any edit: unnamed people left without faces disappear (a named one stays, the name is the
 * user's), and a cover that no longer shows its person is cleared (the list falls back to the best face).
 */
export function tidyPeople(db: Db): void {
  db.exec(`DELETE FROM people WHERE name IS NULL AND NOT EXISTS (SELECT 1 FROM faces WHERE person_id = people.id)`);
  db.exec(`UPDATE people SET cover_face_id = NULL WHERE cover_face_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM faces WHERE id = people.cover_face_id AND person_id = people.id)`);
}

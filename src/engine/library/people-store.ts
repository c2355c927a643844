import type { Db } from './database';
import { prepared } from './statements';

/** Ids inlined into SQL (numbers only, so no injection): statements with IN-lists of any length. */
export const inList = (ids: readonly number[]): string => ids.map((id) => Number(id)).join(',') || 'NULL';

/**
 * The people group of tables as the people features use it: person rows, who each face is
 * (assignment, suggestion, rejections), merges. The clustering's bulk reads and writes are in
 * clustering-store.ts; the review queue in review-queue-store.ts; the undo log's snapshots in people-undo-store.ts.
 */
export interface PersonRow {
  id: number;
  name: string | null;
  hidden: number;
  cover_face_id: number | null;
  birth_date: string | null;
}

export interface FaceRow {
  id: number;
  photo_id: number;
  person_id: number | null;
  assignment: 'auto' | 'confirmed' | null;
  suggested_person_id: number | null;
  /** What its question is about (NULL: written before kinds, read as before: see review-queue-store.ts). */
  suggestion_kind: 'face' | 'cluster' | null;
}

export function personById(db: Db, id: number): PersonRow | undefined {
  return prepared(db, 'SELECT id, name, hidden, cover_face_id, birth_date FROM people WHERE id = ?').get(id) as PersonRow | undefined;
}

export function personByName(db: Db, name: string): PersonRow | undefined {
  return prepared(db, 'SELECT id, name, hidden, cover_face_id, birth_date FROM people WHERE name = ? COLLATE NOCASE').get(name) as
    PersonRow | undefined;
}

export function faceById(db: Db, id: number): FaceRow | undefined {
  return prepared(db, 'SELECT id, photo_id, person_id, assignment, suggested_person_id, suggestion_kind FROM faces WHERE id = ?').get(
    id,
  ) as FaceRow | undefined;
}

export function setPersonName(db: Db, personId: number, name: string): void {
  prepared(db, 'UPDATE people SET name = ? WHERE id = ?').run(name, personId);
}

export function setPersonHidden(db: Db, personId: number, hidden: boolean): void {
  prepared(db, 'UPDATE people SET hidden = ? WHERE id = ?').run(hidden ? 1 : 0, personId);
}

export function setPersonCover(db: Db, personId: number, faceId: number): void {
  prepared(db, 'UPDATE people SET cover_face_id = ? WHERE id = ?').run(faceId, personId);
}

export function setPersonBirthDate(db: Db, personId: number, birthDate: string | null): void {
  prepared(db, 'UPDATE people SET birth_date = ? WHERE id = ?').run(birthDate, personId);
}

/** Faces put into the person automatically from photos taken before `date` (YYYY-MM-DD). */
export function autoFacesTakenBefore(db: Db, personId: number, date: string): number[] {
  return prepared(
    db,
    `SELECT f.id FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.person_id = ? AND f.assignment = 'auto' AND p.taken_at IS NOT NULL AND substr(p.taken_at, 1, 10) < ?`,
  )
    .all(personId, date)
    .map((r) => (r as { id: number }).id);
}

/** Drops suggestions of the person for faces in photos taken before `date`. */
export function clearSuggestionsTakenBefore(db: Db, personId: number, date: string): void {
  prepared(
    db,
    `UPDATE faces SET suggested_person_id = NULL, suggestion_confidence = NULL WHERE suggested_person_id = ?
                AND photo_id IN (SELECT id FROM photos WHERE taken_at IS NOT NULL AND substr(taken_at, 1, 10) < ?)`,
  ).run(personId, date);
}

export function faceCountOf(db: Db, personId: number): number {
  return (prepared(db, 'SELECT COUNT(*) AS n FROM faces WHERE person_id = ?').get(personId) as { n: number }).n;
}

/** A rejected face keeps no suggestion (its value in the review queue stays until the next run). */
export function clearFaceSuggestion(db: Db, faceId: number): void {
  prepared(db, 'UPDATE faces SET suggested_person_id = NULL, suggestion_confidence = NULL WHERE id = ?').run(faceId);
}

/** The faces of a person ask no more questions (an unnamed cluster that just joined it). */
export function clearSuggestionsOfMembers(db: Db, personId: number): void {
  prepared(
    db,
    'UPDATE faces SET suggested_person_id = NULL, suggestion_confidence = NULL, suggestion_value = NULL WHERE person_id = ?',
  ).run(personId);
}

/** Withdraws the suggestion of `suggestedPersonId` from a face and, when it asked for one, from its unnamed cluster. */
export function withdrawSuggestion(db: Db, suggestedPersonId: number, faceId: number, clusterId: number | null): void {
  prepared(
    db,
    'UPDATE faces SET suggested_person_id = NULL, suggestion_confidence = NULL, suggestion_value = NULL WHERE suggested_person_id = ? AND (id = ? OR person_id = ?)',
  ).run(suggestedPersonId, faceId, clusterId ?? -1);
}

/** The newest confirmed faces of a model with their person and whether it is named (the library's same-person evidence). */
export function confirmedFaceSample(db: Db, modelId: string, limit: number): { id: number; personId: number; named: number }[] {
  return prepared(
    db,
    `SELECT f.id, f.person_id AS personId, p.name IS NOT NULL AS named FROM faces f JOIN people p ON p.id = f.person_id
              WHERE f.model_id = ? AND f.assignment = 'confirmed' ORDER BY f.id DESC LIMIT ?`,
  ).all(modelId, limit) as { id: number; personId: number; named: number }[];
}

/** Good faces of the newest photos holding two or more of them (the cannot-link evidence), by photo. */
export function coPhotoFaceSample(db: Db, modelId: string, minQuality: number, photoLimit: number): { id: number; photoId: number }[] {
  return prepared(
    db,
    `SELECT f.id, f.photo_id AS photoId FROM faces f WHERE f.model_id = @modelId AND f.quality >= @minQuality AND f.photo_id IN (
                SELECT photo_id FROM faces WHERE model_id = @modelId AND quality >= @minQuality GROUP BY photo_id HAVING COUNT(*) > 1 ORDER BY photo_id DESC LIMIT @limit)
              ORDER BY f.photo_id`,
  ).all({ modelId, minQuality, limit: photoLimit }) as { id: number; photoId: number }[];
}

/** One named face's box on its photo (the row an XMP export writes a region from). */
export interface NamedFaceRegion {
  photoId: number;
  path: string;
  width: number;
  height: number;
  name: string;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
}

/** Named, visible people's face boxes on indexed photos, by photo (what an XMP export writes). */
export function namedFaceRegions(db: Db): NamedFaceRegion[] {
  return prepared(
    db,
    `SELECT ph.id AS photoId, ph.path, ph.width, ph.height, pe.name, f.box_x, f.box_y, f.box_w, f.box_h
              FROM faces f JOIN people pe ON pe.id = f.person_id JOIN photos ph ON ph.id = f.photo_id
              WHERE pe.name IS NOT NULL AND pe.hidden = 0 AND ph.status = 'indexed' AND ph.width > 0 AND ph.height > 0
              ORDER BY ph.id, f.box_x`,
  ).all() as NamedFaceRegion[];
}

/**
 * Moves everything of `from` into `into` and deletes `from`: faces keep how they were assigned,
 * suggestions and rejections follow, and `into` inherits a name, birth date or cover it lacks.
 */
export function mergePersonRows(db: Db, from: PersonRow, into: PersonRow): void {
  prepared(db, 'UPDATE faces SET person_id = ? WHERE person_id = ?').run(into.id, from.id);
  prepared(db, 'UPDATE faces SET suggested_person_id = ? WHERE suggested_person_id = ?').run(into.id, from.id);
  prepared(
    db,
    `INSERT OR IGNORE INTO face_rejections (face_id, person_id)
              SELECT face_id, ? FROM face_rejections r WHERE r.person_id = ? AND NOT EXISTS (SELECT 1 FROM faces WHERE id = r.face_id AND person_id = ?)`,
  ).run(into.id, from.id, into.id);
  prepared(db, 'DELETE FROM people WHERE id = ?').run(from.id);
  prepared(
    db,
    'UPDATE people SET name = COALESCE(name, ?), birth_date = COALESCE(birth_date, ?), cover_face_id = COALESCE(cover_face_id, ?) WHERE id = ?',
  ).run(from.name, from.birth_date, from.cover_face_id, into.id);
}

/** The user says these faces are this person: a must-link no clustering run undoes. */
export function confirmFaces(db: Db, faceIds: readonly number[], personId: number): void {
  prepared(
    db,
    `UPDATE faces SET person_id = ?, assignment = 'confirmed', confidence = 1, suggested_person_id = NULL, suggestion_confidence = NULL,
    clustered_at = COALESCE(clustered_at, strftime('%Y-%m-%dT%H:%M:%fZ','now')) WHERE id IN (${inList(faceIds)})`,
  ).run(personId);
  prepared(db, `DELETE FROM face_rejections WHERE person_id = ? AND face_id IN (${inList(faceIds)})`).run(personId);
}

/** Remembers that a face is not this person: clustering never puts it back. */
export function rememberRejection(db: Db, faceId: number, personId: number): void {
  prepared(db, 'INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)').run(faceId, personId);
}

/** Takes faces out of their person; the next clustering run decides them again (never into a rejected person). */
export function unassignFaces(db: Db, faceIds: readonly number[]): void {
  prepared(
    db,
    `UPDATE faces SET person_id = NULL, assignment = NULL, confidence = NULL, clustered_at = NULL WHERE id IN (${inList(faceIds)})`,
  ).run();
}

/**
 * Named people with how many faces they have (faces, not distinct photos: the same order for a shared
 * first name, and an indexed count, 50 ms at 600,000 faces against 2 s for distinct photos).
 */
export function namedPeopleWithFaceCounts(db: Db): { name: string; photos: number }[] {
  return prepared(
    db,
    'SELECT pe.name AS name, (SELECT count(*) FROM faces f WHERE f.person_id = pe.id) AS photos FROM people pe WHERE pe.name IS NOT NULL',
  ).all() as {
    name: string;
    photos: number;
  }[];
}

/** A new person, numbered above every id ever used (migration 20: an id is never handed on). */
export function createPerson(db: Db, name: string | null): number {
  return Number(prepared(db, 'INSERT INTO people (id, name) SELECT id + 1, ? FROM person_id_high_water').run(name).lastInsertRowid);
}

/**
 * After any edit: unnamed people left without faces disappear (a named one stays, the name is the
 * user's), and a cover that no longer shows its person is cleared (the list falls back to the best face).
 */
export function tidyPeople(db: Db): void {
  prepared(db, `DELETE FROM people WHERE name IS NULL AND NOT EXISTS (SELECT 1 FROM faces WHERE person_id = people.id)`).run();
  prepared(
    db,
    `UPDATE people SET cover_face_id = NULL WHERE cover_face_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM faces WHERE id = people.cover_face_id AND person_id = people.id)`,
  ).run();
}

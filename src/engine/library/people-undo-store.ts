import type { Db } from './database';
import { inList } from './people-store';
import { prepared } from './statements';

/** The rows a people edit may touch, as they were before it (people_undo.snapshot, JSON). */
export interface PeopleSnapshot {
  maxPersonId: number;
  personIds: number[];
  faceIds: number[];
  people: Record<string, unknown>[];
  faces: FaceColumns[];
  rejections: { face_id: number; person_id: number }[];
}

interface FaceColumns {
  id: number;
  person_id: number | null;
  assignment: string | null;
  confidence: number | null;
  suggested_person_id: number | null;
  suggestion_confidence: number | null;
  /** Absent in entries written before it was kept (then left as it is). */
  suggestion_value?: number | null;
  /** Absent in entries written before it was kept (then left as it is). */
  suggestion_kind?: string | null;
  clustered_at: string | null;
}

/**
 * The before-image of every row an edit may touch: the people in scope, all faces assigned or
 * suggested to them plus the faces in scope, and their rejections.
 */
export function snapshotPeople(db: Db, scope: { personIds: number[]; faceIds: number[] }): PeopleSnapshot {
  const personIds = [...new Set(scope.personIds)];
  const members = prepared(
    db,
    `SELECT id FROM faces WHERE person_id IN (${inList(personIds)}) OR suggested_person_id IN (${inList(personIds)})`,
  ).all() as { id: number }[];
  const faceIds = [...new Set([...scope.faceIds, ...members.map((r) => r.id)])];
  return {
    maxPersonId: (prepared(db, 'SELECT COALESCE(MAX(id), 0) AS n FROM people').get() as { n: number }).n,
    personIds,
    faceIds,
    people: prepared(db, `SELECT * FROM people WHERE id IN (${inList(personIds)})`).all() as Record<string, unknown>[],
    faces: prepared(
      db,
      `SELECT id, person_id, assignment, confidence, suggested_person_id, suggestion_confidence, suggestion_value, suggestion_kind, clustered_at FROM faces WHERE id IN (${inList(faceIds)})`,
    ).all() as FaceColumns[],
    rejections: prepared(
      db,
      `SELECT face_id, person_id FROM face_rejections WHERE face_id IN (${inList(faceIds)}) OR person_id IN (${inList(personIds)})`,
    ).all() as PeopleSnapshot['rejections'],
  };
}

/** Puts back exactly the rows of a snapshot, whatever the edit did to them. */
export function restorePeople(db: Db, s: PeopleSnapshot): void {
  // Names are unique: free them all before putting any back (a merge may have moved one).
  prepared(db, `UPDATE people SET name = NULL WHERE id IN (${inList(s.personIds)})`).run();
  for (const person of s.people) {
    const columns = Object.keys(person);
    const exists = prepared(db, 'SELECT 1 FROM people WHERE id = ?').get(person.id);
    if (exists) prepared(db, `UPDATE people SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(person);
    else prepared(db, `INSERT INTO people (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(person);
  }
  const update = prepared(
    db,
    `UPDATE faces SET person_id = @person_id, assignment = @assignment, confidence = @confidence,
    suggested_person_id = @suggested_person_id, suggestion_confidence = @suggestion_confidence,
    suggestion_value = CASE WHEN @kept THEN @suggestion_value ELSE suggestion_value END,
    suggestion_kind = CASE WHEN @keptKind THEN @suggestion_kind ELSE suggestion_kind END, clustered_at = @clustered_at WHERE id = @id`,
  );
  // The question's value comes back too, so an undone answer is asked again at once (not after the next run).
  for (const face of s.faces)
    update.run({
      ...face,
      suggestion_value: face.suggestion_value ?? null,
      kept: 'suggestion_value' in face ? 1 : 0,
      suggestion_kind: face.suggestion_kind ?? null,
      keptKind: 'suggestion_kind' in face ? 1 : 0,
    });
  // People the edit created (a split's new person, a name's new person) go once their faces are back.
  prepared(db, 'DELETE FROM people WHERE id > ? AND id NOT IN (SELECT person_id FROM faces WHERE person_id IS NOT NULL)').run(
    s.maxPersonId,
  );
  prepared(db, `DELETE FROM face_rejections WHERE face_id IN (${inList(s.faceIds)}) OR person_id IN (${inList(s.personIds)})`).run();
  const insert = prepared(
    db,
    'INSERT OR IGNORE INTO face_rejections (face_id, person_id) SELECT @face_id, @person_id WHERE EXISTS (SELECT 1 FROM faces WHERE id = @face_id) AND EXISTS (SELECT 1 FROM people WHERE id = @person_id)',
  );
  for (const r of s.rejections) insert.run(r);
}

/** Appends an undo entry and drops the entries older than the newest `keep`; returns the entry's id. */
export function appendUndo(db: Db, operation: string, summary: string, snapshot: PeopleSnapshot, keep: number): number {
  const undoId = Number(
    prepared(db, 'INSERT INTO people_undo (operation, summary, snapshot) VALUES (?, ?, ?)').run(
      operation,
      summary,
      JSON.stringify(snapshot),
    ).lastInsertRowid,
  );
  prepared(db, 'DELETE FROM people_undo WHERE id <= ?').run(undoId - keep);
  return undoId;
}

export function lastUndo(db: Db): { id: number; summary: string; snapshot: PeopleSnapshot } | undefined {
  const entry = prepared(db, 'SELECT id, summary, snapshot FROM people_undo ORDER BY id DESC LIMIT 1').get() as
    { id: number; summary: string; snapshot: string } | undefined;
  return entry && { id: entry.id, summary: entry.summary, snapshot: JSON.parse(entry.snapshot) as PeopleSnapshot };
}

export function deleteUndo(db: Db, id: number): void {
  prepared(db, 'DELETE FROM people_undo WHERE id = ?').run(id);
}

import type { Db } from '../library/database';
import { setSetting } from '../library/settings-store';
import { SUGGESTIONS_STALE_KEY } from './suggestions-stale';

/** The rows an edit may touch, as they were before it. */
interface Snapshot {
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
  clustered_at: string | null;
}

/** Oldest entries beyond this are dropped: undo is for recent mistakes, not an audit log. */
const MAX_ENTRIES = 500;

const inList = (ids: readonly number[]): string => (ids.length ? ids.map((id) => Number(id)).join(',') : 'NULL');

/**
 * Runs an edit in one transaction, first saving the before-image of every row it may touch: the
 * people in scope, all faces assigned or suggested to them plus the faces in scope, and their
 * rejections. Undo restores exactly those rows, whatever the edit did. Returns the edit's result and
 * the undo entry id.
 */
export function recordEdit<T>(db: Db, operation: string, summary: (result: T) => string, scope: { personIds: number[]; faceIds: number[] }, edit: () => T): { result: T; undoId: number } {
  return db.transaction(() => {
    const personIds = [...new Set(scope.personIds)];
    const faceIds = [
      ...new Set([
        ...scope.faceIds,
        ...(db.prepare(`SELECT id FROM faces WHERE person_id IN (${inList(personIds)}) OR suggested_person_id IN (${inList(personIds)})`).pluck().all() as number[]),
      ]),
    ];
    const snapshot: Snapshot = {
      maxPersonId: (db.prepare('SELECT COALESCE(MAX(id), 0) FROM people').pluck().get() as number) ?? 0,
      personIds,
      faceIds,
      people: db.prepare(`SELECT * FROM people WHERE id IN (${inList(personIds)})`).all() as Record<string, unknown>[],
      faces: db
        .prepare(`SELECT id, person_id, assignment, confidence, suggested_person_id, suggestion_confidence, clustered_at FROM faces WHERE id IN (${inList(faceIds)})`)
        .all() as FaceColumns[],
      rejections: db.prepare(`SELECT face_id, person_id FROM face_rejections WHERE face_id IN (${inList(faceIds)}) OR person_id IN (${inList(personIds)})`).all() as Snapshot['rejections'],
    };
    const result = edit();
    const undoId = Number(
      db.prepare('INSERT INTO people_undo (operation, summary, snapshot) VALUES (?, ?, ?)').run(operation, summary(result), JSON.stringify(snapshot)).lastInsertRowid,
    );
    db.prepare('DELETE FROM people_undo WHERE id <= ?').run(undoId - MAX_ENTRIES);
    markSuggestionsStale(db);
    return { result, undoId };
  })();
}

/** Reverses the most recent edit; returns its summary, or null when there is nothing to undo. */
export function undoLastEdit(db: Db): string | null {
  return db.transaction(() => {
    const entry = db.prepare('SELECT id, summary, snapshot FROM people_undo ORDER BY id DESC LIMIT 1').get() as { id: number; summary: string; snapshot: string } | undefined;
    if (!entry) return null;
    restore(db, JSON.parse(entry.snapshot) as Snapshot);
    db.prepare('DELETE FROM people_undo WHERE id = ?').run(entry.id);
    markSuggestionsStale(db);
    return entry.summary;
  })();
}

function restore(db: Db, s: Snapshot): void {
  // Names are unique: free them all before putting any back (a merge may have moved one).
  db.prepare(`UPDATE people SET name = NULL WHERE id IN (${inList(s.personIds)})`).run();
  for (const person of s.people) {
    const columns = Object.keys(person);
    const exists = db.prepare('SELECT 1 FROM people WHERE id = ?').get(person.id);
    if (exists) db.prepare(`UPDATE people SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(person);
    else db.prepare(`INSERT INTO people (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(person);
  }
  const update = db.prepare(`UPDATE faces SET person_id = @person_id, assignment = @assignment, confidence = @confidence,
    suggested_person_id = @suggested_person_id, suggestion_confidence = @suggestion_confidence, clustered_at = @clustered_at WHERE id = @id`);
  for (const face of s.faces) update.run(face);
  // People the edit created (a split's new person, a name's new person) go once their faces are back.
  db.prepare('DELETE FROM people WHERE id > ? AND id NOT IN (SELECT person_id FROM faces WHERE person_id IS NOT NULL)').run(s.maxPersonId);
  db.prepare(`DELETE FROM face_rejections WHERE face_id IN (${inList(s.faceIds)}) OR person_id IN (${inList(s.personIds)})`).run();
  const insert = db.prepare(
    'INSERT OR IGNORE INTO face_rejections (face_id, person_id) SELECT @face_id, @person_id WHERE EXISTS (SELECT 1 FROM faces WHERE id = @face_id) AND EXISTS (SELECT 1 FROM people WHERE id = @person_id)',
  );
  for (const r of s.rejections) insert.run(r);
}

function markSuggestionsStale(db: Db): void {
  setSetting(db, SUGGESTIONS_STALE_KEY, '1');
}

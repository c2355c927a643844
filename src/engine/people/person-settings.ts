import { isoDate } from '../../common/api/ids';
import type { EditResult } from '../../common/api/people';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import { unassignFaces } from './face-assignment';
import { recordEdit } from './undo-log';
import { requireFaces, requirePerson } from './validation';

export function setHidden(library: Library, personId: number, hidden: boolean): EditResult {
  const db = library.db;
  const person = requirePerson(db, personId);
  const summary = `${hidden ? 'Hid' : 'Unhid'} person ${person.id}`;
  const { undoId } = recordEdit(db, 'hide', () => summary, { personIds: [person.id], faceIds: [] }, () => {
    db.prepare('UPDATE people SET hidden = ? WHERE id = ?').run(hidden ? 1 : 0, person.id);
  });
  return { undoId, summary, personId: person.id };
}

export function setCover(library: Library, personId: number, faceId: number): EditResult {
  const db = library.db;
  const person = requirePerson(db, personId);
  const [face] = requireFaces(db, [faceId]);
  if (face!.person_id !== person.id) throw new FacetError('invalid_argument', `Face ${faceId} is not a face of person ${person.id}.`);
  const summary = `Set the cover of person ${person.id} to face ${faceId}`;
  const { undoId } = recordEdit(db, 'setCover', () => summary, { personIds: [person.id], faceIds: [] }, () => {
    db.prepare('UPDATE people SET cover_face_id = ? WHERE id = ?').run(faceId, person.id);
  });
  return { undoId, summary, personId: person.id };
}

/**
 * Sets (or clears) a birth date. Faces put into this person automatically from photos taken before
 * it are taken out again; clustering never matches them to this person (confirmed faces stay: the
 * user said so, and a wrong camera clock is more likely than a wrong confirmation).
 */
export function setBirthDate(library: Library, personId: number, birthDate: string | null): EditResult {
  const db = library.db;
  const person = requirePerson(db, personId);
  if (birthDate !== null) {
    const parsed = isoDate.safeParse(birthDate);
    if (!parsed.success) throw new FacetError('invalid_argument', `Invalid birth date "${String(birthDate).slice(0, 40)}": ${parsed.error.issues[0]?.message ?? 'use YYYY-MM-DD'}`);
  }
  const summary = birthDate ? `Set the birth date of person ${person.id} to ${birthDate}` : `Cleared the birth date of person ${person.id}`;
  const { undoId } = recordEdit(db, 'setBirthDate', () => summary, { personIds: [person.id], faceIds: [] }, () => {
    db.prepare('UPDATE people SET birth_date = ? WHERE id = ?').run(birthDate, person.id);
    if (birthDate) {
      const before = db
        .prepare(`SELECT f.id FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.person_id = ? AND f.assignment = 'auto' AND p.taken_at IS NOT NULL AND substr(p.taken_at, 1, 10) < ?`)
        .pluck()
        .all(person.id, birthDate) as number[];
      unassignFaces(db, before);
      db.prepare(`UPDATE faces SET suggested_person_id = NULL, suggestion_confidence = NULL WHERE suggested_person_id = ?
                  AND photo_id IN (SELECT id FROM photos WHERE taken_at IS NOT NULL AND substr(taken_at, 1, 10) < ?)`).run(person.id, birthDate);
    }
  });
  return { undoId, summary, personId: person.id };
}

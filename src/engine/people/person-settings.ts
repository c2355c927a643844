import { isoDate } from '../../common/api/ids';
import type { EditResult } from '../../common/api/people';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import {
  autoFacesTakenBefore,
  clearSuggestionsTakenBefore,
  setPersonBirthDate,
  setPersonCover,
  setPersonHidden,
  unassignFaces,
} from '../library/people-store';
import { recordEdit } from './undo-log';
import { requireFaces, requirePerson } from './validation';

export function setHidden(library: Library, personId: number, hidden: boolean): EditResult {
  const db = library.db;
  const person = requirePerson(db, personId);
  const summary = `${hidden ? 'Hid' : 'Unhid'} person ${person.id}`;
  const { undoId } = recordEdit(
    db,
    'hide',
    () => summary,
    { personIds: [person.id], faceIds: [] },
    () => {
      setPersonHidden(db, person.id, hidden);
    },
  );
  return { undoId, summary, personId: person.id };
}

export function setCover(library: Library, personId: number, faceId: number): EditResult {
  const db = library.db;
  const person = requirePerson(db, personId);
  const [face] = requireFaces(db, [faceId]);
  if (face!.person_id !== person.id) throw new FacetError('invalid_argument', `Face ${faceId} is not a face of person ${person.id}.`);
  const summary = `Set the cover of person ${person.id} to face ${faceId}`;
  const { undoId } = recordEdit(
    db,
    'setCover',
    () => summary,
    { personIds: [person.id], faceIds: [] },
    () => {
      setPersonCover(db, person.id, faceId);
    },
  );
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
    if (!parsed.success)
      throw new FacetError(
        'invalid_argument',
        `Invalid birth date "${String(birthDate).slice(0, 40)}": ${parsed.error.issues[0]?.message ?? 'use YYYY-MM-DD'}`,
      );
  }
  const summary = birthDate ? `Set the birth date of person ${person.id} to ${birthDate}` : `Cleared the birth date of person ${person.id}`;
  const { undoId } = recordEdit(
    db,
    'setBirthDate',
    () => summary,
    { personIds: [person.id], faceIds: [] },
    () => {
      setPersonBirthDate(db, person.id, birthDate);
      if (birthDate) {
        unassignFaces(db, autoFacesTakenBefore(db, person.id, birthDate));
        clearSuggestionsTakenBefore(db, person.id, birthDate);
      }
    },
  );
  return { undoId, summary, personId: person.id };
}

import type { EditResult } from '../../common/api/people';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import {
  clearFaceSuggestion,
  confirmFaces,
  createPerson,
  faceCountOf,
  mergePersonRows,
  rememberRejection,
  tidyPeople,
  unassignFaces,
} from '../library/people-store';
import { recordEdit } from './undo-log';
import { requireFaces, requirePerson, requireVisible } from './validation';

const personIdsOf = (faces: { person_id: number | null; suggested_person_id: number | null }[]): number[] =>
  faces.flatMap((f) => [f.person_id, f.suggested_person_id]).filter((id): id is number => id !== null);

/** Makes two people one: everything of `personId` moves into `intoId` (which keeps its own name if both are named; undo brings the other back). */
export function mergePeople(library: Library, personId: number, intoId: number): EditResult {
  return mergeManyPeople(library, [personId], intoId);
}

/**
 * Merges several people into one as ONE edit (one Undo restores them all). `into` keeps its name:
 * the app asks which name to keep by asking which person to merge into.
 */
export function mergeManyPeople(library: Library, personIds: readonly number[], intoId: number): EditResult {
  const db = library.db;
  const ids = [...new Set(personIds)];
  if (ids.includes(intoId)) throw new FacetError('invalid_argument', `Cannot merge person ${intoId} into itself.`);
  const from = ids.map((id) => requirePerson(db, id));
  const into = requireVisible(requirePerson(db, intoId));
  const summary = from.length === 1 ? `Merged person ${from[0]!.id} into ${into.id}` : `Merged ${from.length} people into ${into.id}`;
  const { undoId } = recordEdit(
    db,
    'merge',
    () => summary,
    { personIds: [...ids, into.id], faceIds: [] },
    () => {
      for (const person of from) mergePersonRows(db, person, into);
      tidyPeople(db);
    },
  );
  return { undoId, summary, personId: into.id };
}

/** Moves faces to a person (confirmed); each is remembered as not its former person. */
export function moveFaces(library: Library, faceIds: readonly number[], toPersonId: number): EditResult {
  const db = library.db;
  const faces = requireFaces(db, faceIds);
  const to = requireVisible(requirePerson(db, toPersonId));
  const summary = `Moved ${faces.length} face${faces.length === 1 ? '' : 's'} to person ${to.id}`;
  const { undoId } = recordEdit(
    db,
    'move',
    () => summary,
    { personIds: [to.id, ...personIdsOf(faces)], faceIds: faces.map((f) => f.id) },
    () => {
      for (const face of faces) if (face.person_id !== null && face.person_id !== to.id) rememberRejection(db, face.id, face.person_id);
      confirmFaces(
        db,
        faces.map((f) => f.id),
        to.id,
      );
      tidyPeople(db);
    },
  );
  return { undoId, summary, personId: to.id };
}

/**
 * Rejects faces from their person (or, for an unassigned face, its suggestion). They are decided
 * again by the next clustering run, which never puts them back into the rejected person.
 */
export function rejectFaces(library: Library, faceIds: readonly number[]): EditResult {
  const db = library.db;
  const faces = requireFaces(db, faceIds);
  const orphan = faces.find((f) => f.person_id === null && f.suggested_person_id === null);
  if (orphan) throw new FacetError('invalid_argument', `Face ${orphan.id} has no person or suggestion to reject it from.`);
  const summary = `Rejected ${faces.length} face${faces.length === 1 ? '' : 's'}`;
  const { undoId } = recordEdit(
    db,
    'reject',
    () => summary,
    { personIds: personIdsOf(faces), faceIds: faces.map((f) => f.id) },
    () => {
      for (const face of faces) {
        const from = face.person_id ?? face.suggested_person_id!;
        rememberRejection(db, face.id, from);
        clearFaceSuggestion(db, face.id);
      }
      unassignFaces(
        db,
        faces.filter((f) => f.person_id !== null).map((f) => f.id),
      );
      tidyPeople(db);
    },
  );
  return { undoId, summary, personId: null };
}

/** Splits the selected faces off into a new, unnamed person (confirmed there, rejected from the old one). */
export function splitPerson(library: Library, personId: number, faceIds: readonly number[]): EditResult {
  const db = library.db;
  const person = requirePerson(db, personId);
  const faces = requireFaces(db, faceIds);
  const stranger = faces.find((f) => f.person_id !== person.id);
  if (stranger) throw new FacetError('invalid_argument', `Face ${stranger.id} is not a face of person ${person.id}.`);
  const total = faceCountOf(db, person.id);
  if (faces.length >= total)
    throw new FacetError('invalid_argument', `Splitting off all ${total} faces of person ${person.id} would leave nothing: select fewer.`);
  const { result: newId, undoId } = recordEdit(
    db,
    'split',
    (id) => `Split ${faces.length} faces of person ${person.id} into person ${id}`,
    { personIds: [person.id], faceIds: faces.map((f) => f.id) },
    () => {
      const newId = createPerson(db, null);
      for (const face of faces) rememberRejection(db, face.id, person.id);
      confirmFaces(
        db,
        faces.map((f) => f.id),
        newId,
      );
      tidyPeople(db);
      return newId;
    },
  );
  return { undoId, summary: `Split ${faces.length} faces of person ${person.id} into person ${newId}`, personId: newId };
}

import type { EditResult } from '../../common/api/people';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import {
  confirmFaces,
  createPerson,
  mergePersonRows,
  personByName,
  rememberRejection,
  setPersonName,
  tidyPeople,
} from '../library/people-store';
import { recordEdit } from './undo-log';
import { requireFaces, requirePerson, requireVisible, validName } from './validation';

/** Names a person (a cluster). A name already worn by someone else is refused: merge them instead. */
export function namePerson(library: Library, personId: number, rawName: string): EditResult {
  const db = library.db;
  const person = requireVisible(requirePerson(db, personId));
  const name = validName(rawName);
  const other = personByName(db, name);
  if (other && other.id !== person.id) {
    throw new FacetError(
      'conflict',
      `Person ${other.id} is already named "${other.name}". To make them one person: facet merge ${person.id} ${other.id}`,
    );
  }
  const { undoId } = recordEdit(
    db,
    'name',
    () => `Named person ${person.id} "${name}"${person.name ? ` (was "${person.name}")` : ''}`,
    { personIds: [person.id], faceIds: [] },
    () => {
      setPersonName(db, person.id, name);
    },
  );
  return { undoId, summary: `Named person ${person.id} "${name}"`, personId: person.id };
}

/**
 * Names one face, which assigns it (a confirmation). When the face sits in an unnamed cluster, the
 * whole cluster takes the name (joining the person of that name if one exists). When it sits in a
 * person with another name, only this face moves, and it is never put back there.
 */
export function nameFace(library: Library, faceId: number, rawName: string): EditResult {
  const db = library.db;
  const [face] = requireFaces(db, [faceId]);
  const name = validName(rawName);
  const target = personByName(db, name);
  if (target) requireVisible(target);
  const current = face!.person_id !== null ? requirePerson(db, face!.person_id) : undefined;
  if (current && current.name === null && !target) requireVisible(current);
  const scope = { personIds: [current?.id, target?.id].filter((id): id is number => id !== undefined), faceIds: [face!.id] };
  const { result: personId, undoId } = recordEdit(
    db,
    'nameFace',
    (id) => `Named face ${face!.id} "${name}" (person ${id})`,
    scope,
    () => {
      let personId: number;
      if (current && target && current.id === target.id) personId = current.id;
      else if (current && current.name === null && !target) {
        setPersonName(db, current.id, name);
        personId = current.id;
      } else if (current && current.name === null && target) {
        mergePersonRows(db, current, target);
        personId = target.id;
      } else {
        if (current) rememberRejection(db, face!.id, current.id);
        personId = target?.id ?? createPerson(db, name);
      }
      confirmFaces(db, [face!.id], personId);
      tidyPeople(db);
      return personId;
    },
  );
  return { undoId, summary: `Named face ${face!.id} "${name}"`, personId };
}

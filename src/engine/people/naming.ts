import type { EditResult } from '../../common/api/people';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import {
  type FaceRow,
  clearSuggestionsOfMembers,
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
 * whole cluster takes the name (joining the person of that name if one exists), unless `alone` (the
 * review's answer to a question about this face alone: a member of a mixed cluster), then only this
 * face leaves the cluster. When it sits in a person with another name, only this face moves, and it
 * is never put back there.
 */
export function nameFace(library: Library, faceId: number, rawName: string, options: { alone?: boolean } = {}): EditResult {
  const [face] = requireFaces(library.db, [faceId]);
  const result = nameFaces(library, [face!], rawName, options.alone === true);
  return { ...result, summary: `Named face ${face!.id} "${validName(rawName)}"` };
}

/**
 * Answers a cluster question with a name: `faceIds` (the faces the user saw, all of one unnamed
 * cluster) are confirmed as that person and the rest of the cluster joins it as automatic faces, so
 * the confirmed-link rule checks them against what the user saw (see README "Who is this?").
 */
export function nameCluster(library: Library, faceIds: readonly number[], rawName: string): EditResult {
  const db = library.db;
  const faces = requireFaces(db, faceIds);
  const clusterId = faces[0]!.person_id;
  const cluster = clusterId !== null ? requirePerson(db, clusterId) : undefined;
  if (!cluster || cluster.name !== null || faces.some((f) => f.person_id !== clusterId))
    throw new FacetError(
      'conflict',
      `Faces ${faces.map((f) => f.id).join(', ')} are not all in one unnamed cluster (it was named or changed meanwhile): reload the question.`,
    );
  const name = validName(rawName);
  const result = nameFaces(library, faces, name);
  return { ...result, summary: `Named cluster ${cluster.id} "${name}" (${faces.length} face${faces.length === 1 ? '' : 's'} confirmed)` };
}

/** The naming both entry points share: the first face decides which case applies, all faces are confirmed. */
function nameFaces(library: Library, faces: readonly FaceRow[], rawName: string, alone = false): EditResult {
  const db = library.db;
  const face = faces[0]!;
  const name = validName(rawName);
  const target = personByName(db, name);
  if (target) requireVisible(target);
  const current = face.person_id !== null ? requirePerson(db, face.person_id) : undefined;
  if (current && current.name === null && !target) requireVisible(current);
  const ids = faces.map((f) => f.id);
  const scope = { personIds: [current?.id, target?.id].filter((id): id is number => id !== undefined), faceIds: ids };
  const { result: personId, undoId } = recordEdit(
    db,
    faces.length === 1 ? 'nameFace' : 'nameCluster',
    (id) => `Named face${ids.length === 1 ? '' : 's'} ${ids.join(', ')} "${name}" (person ${id})`,
    scope,
    () => {
      let personId: number;
      if (current && target && current.id === target.id) personId = current.id;
      else if (current && current.name === null && !target && !alone) {
        setPersonName(db, current.id, name);
        clearSuggestionsOfMembers(db, current.id); // the cluster's question is answered
        personId = current.id;
      } else if (current && current.name === null && target && !alone) {
        mergePersonRows(db, current, target);
        clearSuggestionsOfMembers(db, target.id);
        personId = target.id;
      } else {
        if (current) rememberRejection(db, face.id, current.id);
        personId = target?.id ?? createPerson(db, name);
      }
      confirmFaces(db, ids, personId);
      tidyPeople(db);
      return personId;
    },
  );
  return { undoId, summary: `Named face${ids.length === 1 ? '' : 's'} ${ids.join(', ')} "${name}"`, personId };
}

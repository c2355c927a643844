import type { EditResult } from '../../common/api/people';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import {
  type FaceRow,
  clearSuggestionsOfMembers,
  confirmFaces,
  mergePersonRows,
  personById,
  rememberRejection,
  tidyPeople,
  withdrawSuggestion,
} from '../library/people-store';
import { recordEdit } from './undo-log';
import { requirePerson, requireFaces } from './validation';

function requireSuggestions(library: Library, faceIds: readonly number[]): FaceRow[] {
  const faces = requireFaces(library.db, faceIds);
  const without = faces.find((f) => f.suggested_person_id === null);
  if (without) throw new FacetError('invalid_argument', `Face ${without.id} has no suggestion.`);
  return faces;
}

/**
 * The unnamed cluster a face's suggestion answers for: the face's own unnamed cluster, unless the
 * question is about the face alone (a member of a mixed cluster asked one by one).
 */
function unnamedClusterOf(library: Library, face: FaceRow): number | null {
  if (face.person_id === null || face.suggestion_kind === 'face') return null;
  return personById(library.db, face.person_id)?.name === null ? face.person_id : null;
}

/**
 * Accepts each face's suggestion: the face is confirmed as the suggested person. A face of an unnamed
 * cluster answers for its cluster (as naming one of its faces does): the whole cluster joins the person;
 * unless its question was about it alone, then only it leaves the cluster for the person.
 */
export function acceptSuggestions(library: Library, faceIds: readonly number[]): EditResult {
  const db = library.db;
  const faces = requireSuggestions(library, faceIds);
  const summary = `Accepted ${faces.length} suggestion${faces.length === 1 ? '' : 's'}`;
  const people = [...new Set(faces.map((f) => f.suggested_person_id!))];
  const { undoId } = recordEdit(
    db,
    'acceptSuggestions',
    () => summary,
    { personIds: [...people, ...faces.flatMap((f) => (f.person_id ? [f.person_id] : []))], faceIds: faces.map((f) => f.id) },
    () => {
      for (const face of faces) {
        const cluster = unnamedClusterOf(library, face);
        if (cluster !== null) {
          mergePersonRows(db, requirePerson(db, cluster), requirePerson(db, face.suggested_person_id!));
          clearSuggestionsOfMembers(db, face.suggested_person_id!);
        }
        confirmFaces(db, [face.id], face.suggested_person_id!);
      }
      tidyPeople(db);
    },
  );
  return { undoId, summary, personId: people.length === 1 ? people[0]! : null };
}

/**
 * Rejects each face's suggestion: that person is never suggested or assigned for it again (a
 * cannot-link), nor for the unnamed cluster it asks for; the next clustering run may suggest the next
 * best person.
 */
export function rejectSuggestions(library: Library, faceIds: readonly number[]): EditResult {
  const db = library.db;
  const faces = requireSuggestions(library, faceIds);
  const summary = `Rejected ${faces.length} suggestion${faces.length === 1 ? '' : 's'}`;
  const { undoId } = recordEdit(
    db,
    'rejectSuggestions',
    () => summary,
    { personIds: faces.map((f) => f.suggested_person_id!), faceIds: faces.map((f) => f.id) },
    () => {
      for (const face of faces) {
        rememberRejection(db, face.id, face.suggested_person_id!);
        const cluster = unnamedClusterOf(library, face);
        withdrawSuggestion(db, face.suggested_person_id!, face.id, cluster);
      }
    },
  );
  return { undoId, summary, personId: null };
}

import type { EditResult } from '../../common/api/people';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import { confirmFaces, rememberRejection } from './face-assignment';
import { recordEdit } from './undo-log';
import { type FaceRow, requireFaces } from './validation';

function requireSuggestions(library: Library, faceIds: readonly number[]): FaceRow[] {
  const faces = requireFaces(library.db, faceIds);
  const without = faces.find((f) => f.suggested_person_id === null);
  if (without) throw new FacetError('invalid_argument', `Face ${without.id} has no suggestion.`);
  return faces;
}

/** Accepts each face's suggestion: the face is confirmed as the suggested person. */
export function acceptSuggestions(library: Library, faceIds: readonly number[]): EditResult {
  const db = library.db;
  const faces = requireSuggestions(library, faceIds);
  const summary = `Accepted ${faces.length} suggestion${faces.length === 1 ? '' : 's'}`;
  const people = [...new Set(faces.map((f) => f.suggested_person_id!))];
  const { undoId } = recordEdit(db, 'acceptSuggestions', () => summary, { personIds: [...people, ...faces.flatMap((f) => (f.person_id ? [f.person_id] : []))], faceIds: faces.map((f) => f.id) }, () => {
    for (const face of faces) confirmFaces(db, [face.id], face.suggested_person_id!);
  });
  return { undoId, summary, personId: people.length === 1 ? people[0]! : null };
}

/** Rejects each face's suggestion: that person is never suggested or assigned for it again. */
export function rejectSuggestions(library: Library, faceIds: readonly number[]): EditResult {
  const db = library.db;
  const faces = requireSuggestions(library, faceIds);
  const summary = `Rejected ${faces.length} suggestion${faces.length === 1 ? '' : 's'}`;
  const { undoId } = recordEdit(db, 'rejectSuggestions', () => summary, { personIds: faces.map((f) => f.suggested_person_id!), faceIds: faces.map((f) => f.id) }, () => {
    for (const face of faces) {
      rememberRejection(db, face.id, face.suggested_person_id!);
      db.prepare('UPDATE faces SET suggested_person_id = NULL, suggestion_confidence = NULL WHERE id = ?').run(face.id);
    }
  });
  return { undoId, summary, personId: null };
}

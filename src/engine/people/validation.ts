import { personName } from '../../common/api/ids';
import { FacetError } from '../../common/errors';
import type { Db } from '../library/database';
import { type FaceRow, type PersonRow, faceById, personById } from '../library/people-store';

export function requirePerson(db: Db, id: number): PersonRow {
  const person = Number.isSafeInteger(id) ? personById(db, id) : undefined;
  if (!person) throw new FacetError('not_found', `There is no person ${id}.`);
  return person;
}

export function requireVisible(person: PersonRow): PersonRow {
  if (person.hidden)
    throw new FacetError('conflict', `Person ${person.id}${person.name ? ` (${person.name})` : ''} is hidden: unhide them first.`);
  return person;
}

/** All the faces, or a not_found error naming the ids that do not exist (nothing is changed). */
export function requireFaces(db: Db, ids: readonly number[]): FaceRow[] {
  if (ids.length === 0) throw new FacetError('invalid_argument', 'Give at least one face.');
  const faces = [...new Set(ids)].map((id) => (Number.isSafeInteger(id) ? faceById(db, id) : undefined));
  const missing = [...new Set(ids)].filter((_, i) => !faces[i]);
  if (missing.length > 0)
    throw new FacetError(
      'not_found',
      `There is no face ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''}.`,
    );
  return faces as FaceRow[];
}

/** The same rule as the API's schema (trimmed, 1-200 characters, no control characters), for engine callers too. */
export function validName(name: unknown): string {
  const parsed = personName.safeParse(name);
  if (!parsed.success) throw new FacetError('invalid_argument', parsed.error.issues[0]?.message ?? 'Invalid name.');
  return parsed.data;
}

import { personName } from '../../common/api/ids';
import { FacetError } from '../../common/errors';
import type { Db } from '../library/database';

export interface PersonRow {
  id: number;
  name: string | null;
  hidden: number;
  cover_face_id: number | null;
  birth_date: string | null;
}

export interface FaceRow {
  id: number;
  photo_id: number;
  person_id: number | null;
  assignment: 'auto' | 'confirmed' | null;
  suggested_person_id: number | null;
}

export function requirePerson(db: Db, id: number): PersonRow {
  const person = Number.isSafeInteger(id) ? (db.prepare('SELECT id, name, hidden, cover_face_id, birth_date FROM people WHERE id = ?').get(id) as PersonRow | undefined) : undefined;
  if (!person) throw new FacetError('not_found', `There is no person ${id}.`);
  return person;
}

export function requireVisible(person: PersonRow): PersonRow {
  if (person.hidden) throw new FacetError('conflict', `Person ${person.id}${person.name ? ` (${person.name})` : ''} is hidden: unhide them first.`);
  return person;
}

/** All the faces, or a not_found error naming the ids that do not exist (nothing is changed). */
export function requireFaces(db: Db, ids: readonly number[]): FaceRow[] {
  if (ids.length === 0) throw new FacetError('invalid_argument', 'Give at least one face.');
  const get = db.prepare('SELECT id, photo_id, person_id, assignment, suggested_person_id FROM faces WHERE id = ?');
  const faces = [...new Set(ids)].map((id) => (Number.isSafeInteger(id) ? (get.get(id) as FaceRow | undefined) : undefined));
  const missing = [...new Set(ids)].filter((_, i) => !faces[i]);
  if (missing.length > 0) throw new FacetError('not_found', `There is no face ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''}.`);
  return faces as FaceRow[];
}

/** The same rule as the API's schema (trimmed, 1-200 characters, no control characters), for engine callers too. */
export function validName(name: unknown): string {
  const parsed = personName.safeParse(name);
  if (!parsed.success) throw new FacetError('invalid_argument', parsed.error.issues[0]?.message ?? 'Invalid name.');
  return parsed.data;
}

export function personByName(db: Db, name: string): PersonRow | undefined {
  return db.prepare('SELECT id, name, hidden, cover_face_id, birth_date FROM people WHERE name = ? COLLATE NOCASE').get(name) as PersonRow | undefined;
}

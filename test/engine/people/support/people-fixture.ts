import type { Library } from '../../../../src/engine/library/library';
import type { SeenFace } from '../../../../src/engine/library/clustering-store';
import { runIncrementalClustering } from '../../../../src/engine/people/incremental-clustering';
import { tempDir } from '../../../support/temp';
import { libraryWithFaces } from './library-fixture';
import { loadRealFaces, type RealFace } from './real-faces';

export interface ClusteredCelebs {
  library: Library;
  faces: RealFace[];
  faceIds: number[];
  /** Unnamed people formed by clustering, largest first, with their face ids. */
  clusters: { personId: number; faceIds: number[] }[];
}

/** faces-celebs indexed and clustered in a fresh library, as after `facet index`. */
export async function clusteredCelebs(): Promise<ClusteredCelebs> {
  const faces = await loadRealFaces('faces-celebs');
  const { library, faceIds } = libraryWithFaces(tempDir(), faces);
  runIncrementalClustering(library);
  const rows = library.db.prepare('SELECT id, person_id AS personId FROM faces WHERE person_id IS NOT NULL ORDER BY id').all() as {
    id: number;
    personId: number;
  }[];
  const byPerson = new Map<number, number[]>();
  for (const r of rows) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r.id]);
  const clusters = [...byPerson].map(([personId, ids]) => ({ personId, faceIds: ids })).sort((a, b) => b.faceIds.length - a.faceIds.length);
  return { library, faces, faceIds, clusters };
}

/** Everything a user's people work consists of, for "nothing changed" and "undo restored it" checks. */
export function peopleState(library: Library): string {
  const db = library.db;
  return JSON.stringify({
    people: db.prepare('SELECT id, name, hidden, cover_face_id, birth_date FROM people ORDER BY id').all(),
    faces: db.prepare('SELECT id, person_id, assignment, suggested_person_id FROM faces ORDER BY id').all(),
    rejections: db.prepare('SELECT face_id, person_id FROM face_rejections ORDER BY face_id, person_id').all(),
  });
}

export function personOf(library: Library, faceId: number): { personId: number | null; name: string | null; assignment: string | null } {
  return library.db
    .prepare('SELECT f.person_id AS personId, p.name, f.assignment FROM faces f LEFT JOIN people p ON p.id = f.person_id WHERE f.id = ?')
    .get(faceId) as { personId: number | null; name: string | null; assignment: string | null };
}

/** Every face as a clustering run reads it before deciding (what writeFaceDecisions checks against). */
export function facesAsTheyAre(library: Library): Map<number, SeenFace> {
  const rows = library.db
    .prepare(`SELECT id, photo_id AS photoId, person_id AS personId, assignment IS 'confirmed' AS confirmed FROM faces`)
    .all() as { id: number; photoId: number; personId: number | null; confirmed: number }[];
  return new Map(rows.map((r) => [r.id, { photoId: r.photoId, personId: r.personId, confirmed: r.confirmed === 1 }]));
}

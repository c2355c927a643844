import { beforeEach, expect, it } from 'vitest';
import { replaceFaces } from '../../../src/engine/library/face-store';
import type { Library } from '../../../src/engine/library/library';
import { mergePeople, moveFaces, rejectFaces, splitPerson } from '../../../src/engine/people/corrections';
import { loadFaceVectors, row } from '../../../src/engine/library/face-vectors';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { nameFace, namePerson } from '../../../src/engine/people/naming';
import { setBirthDate, setHidden } from '../../../src/engine/people/person-settings';
import { describeWithShared } from '../../support/shared';
import { FACE_MODEL_ID } from './support/library-fixture';
import { type ClusteredCelebs, clusteredCelebs } from './support/people-fixture';

/** A face's identity across re-indexing (ids change; the photo and the place do not). */
const placeKey = (f: { photo_id: number; box_x: number; box_y: number }): string =>
  `${f.photo_id}@${Math.round(f.box_x)},${Math.round(f.box_y)}`;

interface UserWork {
  names: Record<number, string>;
  hidden: number[];
  birthDates: Record<number, string>;
  confirmed: Record<string, number>;
  rejected: [string, number][];
}

function userWork(library: Library): UserWork {
  const db = library.db;
  const people = db.prepare('SELECT id, name, hidden, birth_date AS birthDate FROM people').all() as {
    id: number;
    name: string | null;
    hidden: number;
    birthDate: string | null;
  }[];
  const faces = db.prepare('SELECT id, photo_id, box_x, box_y, person_id, assignment FROM faces').all() as {
    id: number;
    photo_id: number;
    box_x: number;
    box_y: number;
    person_id: number | null;
    assignment: string | null;
  }[];
  const keyOf = new Map(faces.map((f) => [f.id, placeKey(f)]));
  return {
    names: Object.fromEntries(people.filter((p) => p.name).map((p) => [p.id, p.name!])),
    hidden: people.filter((p) => p.hidden).map((p) => p.id),
    birthDates: Object.fromEntries(people.filter((p) => p.birthDate).map((p) => [p.id, p.birthDate!])),
    confirmed: Object.fromEntries(faces.filter((f) => f.assignment === 'confirmed').map((f) => [placeKey(f), f.person_id!])),
    rejected: (
      db.prepare('SELECT face_id AS faceId, person_id AS personId FROM face_rejections').all() as { faceId: number; personId: number }[]
    ).map((r) => [keyOf.get(r.faceId)!, r.personId]),
  };
}

/** What `facet index` does to a changed file: its faces are replaced by a fresh analysis (new ids). */
function reindexEveryPhoto(library: Library): void {
  const db = library.db;
  const vectors = loadFaceVectors(db, FACE_MODEL_ID);
  const at = new Map(vectors.ids.map((id, i) => [id, i]));
  const faces = db.prepare('SELECT id, photo_id, box_x, box_y, box_w, box_h, score, landmarks, quality FROM faces ORDER BY id').all() as {
    id: number;
    photo_id: number;
    box_x: number;
    box_y: number;
    box_w: number;
    box_h: number;
    score: number;
    landmarks: string;
    quality: number;
  }[];
  const byPhoto = new Map<number, typeof faces>();
  for (const f of faces) byPhoto.set(f.photo_id, [...(byPhoto.get(f.photo_id) ?? []), f]);
  db.transaction(() => {
    for (const [photoId, list] of byPhoto) {
      replaceFaces(
        db,
        photoId,
        FACE_MODEL_ID,
        list.map((f) => ({
          box: [f.box_x, f.box_y, f.box_w, f.box_h],
          score: f.score,
          landmarks: JSON.parse(f.landmarks),
          embedding: Float32Array.from(row(vectors, at.get(f.id)!)),
          quality: f.quality,
          blur: null,
          pose: null,
        })),
      );
    }
  })();
}

function expectWorkKept(library: Library, before: UserWork): void {
  const after = userWork(library);
  expect(after.names).toEqual(before.names);
  expect(after.hidden).toEqual(before.hidden);
  expect(after.birthDates).toEqual(before.birthDates);
  expect(after.confirmed).toEqual(before.confirmed);
  const personAt = new Map(
    (
      library.db.prepare('SELECT photo_id, box_x, box_y, person_id AS personId FROM faces').all() as {
        photo_id: number;
        box_x: number;
        box_y: number;
        personId: number | null;
      }[]
    ).map((f) => [placeKey(f), f.personId]),
  );
  for (const [key, personId] of before.rejected) expect(personAt.get(key)).not.toBe(personId);
}

describeWithShared('manual work survives re-indexing and re-clustering', () => {
  let c: ClusteredCelebs;
  beforeEach(async () => {
    c = await clusteredCelebs();
  });

  const edits: [string, (c: ClusteredCelebs) => void][] = [
    ['naming a person', (c) => namePerson(c.library, c.clusters[0]!.personId, 'Angelina Jolie')],
    ['naming a face', (c) => nameFace(c.library, c.clusters[1]!.faceIds[0]!, 'Katy Perry')],
    ['moving a face', (c) => moveFaces(c.library, [c.clusters[2]!.faceIds[0]!], c.clusters[0]!.personId)],
    ['rejecting faces', (c) => rejectFaces(c.library, c.clusters[0]!.faceIds.slice(0, 2))],
    ['splitting a person', (c) => splitPerson(c.library, c.clusters[0]!.personId, c.clusters[0]!.faceIds.slice(0, 2))],
    ['merging people', (c) => mergePeople(c.library, c.clusters[1]!.personId, c.clusters[0]!.personId)],
    ['hiding a person', (c) => setHidden(c.library, c.clusters[3]!.personId, true)],
    ['setting a birth date', (c) => setBirthDate(c.library, c.clusters[0]!.personId, '1975-06-04')],
  ];

  it.each(edits)(
    'after %s: re-index, incremental re-cluster, then a full re-cluster keep names, confirmations, rejections',
    (_what, edit) => {
      edit(c);
      runIncrementalClustering(c.library);
      const before = userWork(c.library);
      reindexEveryPhoto(c.library);
      const report = runIncrementalClustering(c.library);
      expect(report.considered).toBeGreaterThan(0);
      expectWorkKept(c.library, before);
      runIncrementalClustering(c.library, { full: true });
      expectWorkKept(c.library, before);
    },
  );
});

import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { replaceFaces } from '../../../src/engine/library/face-store';
import type { Library } from '../../../src/engine/library/library';
import { adaptVectors, trainAdapter } from '../../../src/engine/people/adapter';
import { fitGaussian } from '../../../src/engine/people/distance-model';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { adapterFile, learnedAdapter, resetLearning } from '../../../src/engine/people/library-adapter';
import { nameFace } from '../../../src/engine/people/naming';
import { rejectFaces } from '../../../src/engine/people/corrections';
import { expectedCalibrationError } from '../../../bench/people/calibration-error';
import { describeWithShared } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { libraryWithFaces } from './support/library-fixture';
import { loadRealFaces, type RealFace } from './support/real-faces';

const pack = (faces: readonly RealFace[]): Float32Array => Float32Array.from(faces.flatMap((f) => f.embedding));

/** d' of same/different similarities between held-out faces and the training faces. */
function separation(train: Float32Array, trainPeople: number[], test: Float32Array, testPeople: number[]): number {
  const same: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < testPeople.length; i++) {
    for (let j = 0; j < trainPeople.length; j++) {
      let s = 0;
      for (let d = 0; d < 128; d++) s += test[i * 128 + d]! * train[j * 128 + d]!;
      (testPeople[i] === trainPeople[j] ? same : diff).push(s);
    }
  }
  const a = fitGaussian(same);
  const b = fitGaussian(diff);
  return (a.mean - b.mean) / Math.sqrt((a.std ** 2 + b.std ** 2) / 2);
}

describeWithShared('learning from corrections on faces-lfw-dev (real MobileFaceNet embeddings)', () => {
  let faces: RealFace[];
  /** People with five or more labelled photos, their photos in label order. */
  let people: RealFace[][];
  beforeAll(async () => {
    faces = await loadRealFaces('faces-lfw-dev', { identities: 200 });
    const byIdentity = new Map<string, RealFace[]>();
    for (const f of faces) if (f.identity) byIdentity.set(f.identity, [...(byIdentity.get(f.identity) ?? []), f]);
    people = [...byIdentity.values()].filter((list) => list.length >= 5);
  }, 600_000);

  it('the adapter trained on 3 confirmed photos per person separates the other photos of them better than the frozen embeddings', () => {
    const train = people.flatMap((list) => list.slice(0, 3));
    const trainPeople = people.flatMap((list, k) => list.slice(0, 3).map(() => k));
    const test = people.flatMap((list) => list.slice(3));
    const testPeople = people.flatMap((list, k) => list.slice(3).map(() => k));
    const adapter = trainAdapter({ dimensions: 128, vectors: pack(train), labels: Int32Array.from(trainPeople), people: people.length });
    const raw = separation(pack(train), trainPeople, pack(test), testPeople);
    const adapted = separation(adaptVectors(adapter, pack(train)), trainPeople, adaptVectors(adapter, pack(test)), testPeople);
    console.log(
      JSON.stringify({ people: people.length, train: train.length, heldOut: test.length, rawDPrime: raw, adaptedDPrime: adapted }),
    );
    expect(adapted).toBeGreaterThan(raw * 1.02);
  }, 120_000);

  describe('through the library', () => {
    let library: Library;
    let faceIds: number[];
    const idOf = (face: RealFace): number => faceIds[faces.indexOf(face)]!;
    beforeAll(() => {
      ({ library, faceIds } = libraryWithFaces(tempDir(), faces));
      runIncrementalClustering(library);
      for (const list of people) for (const face of list.slice(0, 3)) nameFace(library, idOf(face), face.identity!);
    });

    it('learns once there is evidence, keeps it per model in the library folder, and reuses it until the evidence changes', () => {
      const report = runIncrementalClustering(library);
      expect(report.learned).toMatchObject({ people: people.length, faces: people.length * 3 });
      const file = adapterFile(library, 'mobilefacenet-128');
      expect(fs.existsSync(file)).toBe(true);
      const saved = fs.statSync(file).mtimeMs;
      expect(learnedAdapter(library, 'mobilefacenet-128')?.trainedOn.faces).toBe(people.length * 3);
      expect(fs.statSync(file).mtimeMs).toBe(saved);
      // p_same / p_diff of adapted similarities were fitted on held-out photos: a usable, separated model.
      const { model } = learnedAdapter(library, 'mobilefacenet-128')!;
      expect(model.same.mean - model.diff.mean).toBeGreaterThan(0.4);
    });

    it('never overrides a confirmation or a rejection, and confidence stays calibrated (ECE ≤ 0.05)', () => {
      const victim = people[0]![4]!;
      const person = nameFace(library, idOf(people[0]![0]!), people[0]![0]!.identity!).personId!;
      runIncrementalClustering(library);
      const row = library.db.prepare('SELECT person_id AS personId, assignment FROM faces WHERE id = ?');
      if ((row.get(idOf(victim)) as { personId: number | null }).personId === person) rejectFaces(library, [idOf(victim)]);
      else library.db.prepare('INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)').run(idOf(victim), person);
      for (const full of [false, true]) {
        runIncrementalClustering(library, { full });
        for (const list of people)
          for (const face of list.slice(0, 3)) expect(row.get(idOf(face))).toMatchObject({ assignment: 'confirmed' });
        expect((row.get(idOf(victim)) as { personId: number | null }).personId).not.toBe(person);
        const suggested = library.db.prepare('SELECT suggested_person_id FROM faces WHERE id = ?').pluck().get(idOf(victim));
        expect(suggested).not.toBe(person);
      }
      const outcome = library.db
        .prepare(`SELECT p.name AS personName, f.confidence, f.assignment, s.name AS suggestionName, f.suggestion_confidence AS sc
        FROM faces f LEFT JOIN people p ON p.id = f.person_id LEFT JOIN people s ON s.id = f.suggested_person_id WHERE f.id = ?`);
      const claims = faces.flatMap((face) => {
        const o = outcome.get(idOf(face)) as {
          personName: string | null;
          confidence: number | null;
          assignment: string | null;
          suggestionName: string | null;
          sc: number | null;
        };
        if (!face.identity || o.assignment === 'confirmed') return [];
        const predicted = o.personName ?? o.suggestionName;
        if (!predicted || !people.some((list) => list[0]!.identity === predicted)) return [];
        return [{ confidence: o.personName ? o.confidence! : o.sc!, correct: predicted === face.identity }];
      });
      const ece = expectedCalibrationError(claims);
      console.log(JSON.stringify({ claims: claims.length, ece }));
      expect(claims.length).toBeGreaterThan(50);
      expect(ece).toBeLessThanOrEqual(0.05);
    });

    it('is forgotten on reset (until new answers), rebuilt when its file is damaged, and dropped when the embedding model changes', () => {
      const file = adapterFile(library, 'mobilefacenet-128');
      expect(learnedAdapter(library, 'mobilefacenet-128')).not.toBeNull();
      fs.writeFileSync(file, '{ torn');
      expect(learnedAdapter(library, 'mobilefacenet-128')).not.toBeNull();
      resetLearning(library);
      expect(runIncrementalClustering(library, { full: true }).learned).toBeNull();
      expect(learnedAdapter(library, 'mobilefacenet-128')).toBeNull();
      // The next answer changes the evidence: a new adapter is trained, on all answers so far.
      const next = people[1]![3]!;
      nameFace(library, idOf(next), next.identity!);
      expect(runIncrementalClustering(library).learned).not.toBeNull();
      expect(fs.existsSync(file)).toBe(true);
      // Re-indexed with another embedder: no face of the old model is left, so its adapter goes.
      const photos = library.db.prepare('SELECT DISTINCT photo_id FROM faces').pluck().all() as number[];
      library.db.transaction(() => {
        for (const photoId of photos)
          replaceFaces(library.db, photoId, 'other-embedder-64', [
            {
              box: [0, 0, 50, 50],
              score: 0.9,
              landmarks: [],
              embedding: new Float32Array(64).fill(0.125),
              quality: 0.8,
              blur: null,
              pose: null,
            },
          ]);
      })();
      runIncrementalClustering(library);
      expect(fs.existsSync(file)).toBe(false);
      expect(fs.existsSync(adapterFile(library, 'other-embedder-64'))).toBe(false);
    });
  });
});

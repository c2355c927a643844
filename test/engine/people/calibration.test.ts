import { beforeAll, expect, it } from 'vitest';
import type { Library } from '../../../src/engine/library/library';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { nameFace } from '../../../src/engine/people/naming';
import { describeWithShared } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { expectedCalibrationError } from '../../../bench/people/calibration-error';
import { libraryWithFaces } from './support/library-fixture';
import { loadRealFaces, type RealFace } from './support/real-faces';

/** The full set (628 people) is measured by `facet bench people`; a fixed sample keeps the suite fast. */
const SAMPLE_IDENTITIES = 100;

interface Outcome {
  identity: string;
  predicted: string | null;
  confidence: number;
  cosine: number;
}

/**
 * The calibration check on LFW-dev: after `facet index`, name one photo of each person; every
 * other labelled photo must get a name or a suggestion (coverage ≥ 0.9) that is right (≥ 0.95) with a
 * confidence that means what it says (ECE ≤ 0.05), where the linear rescale (cos+1)/2 does not.
 */
describeWithShared(`calibration on faces-lfw-dev, first ${SAMPLE_IDENTITIES} people (name one photo per person)`, () => {
  let outcomes: Outcome[] = [];
  let library: Library;

  beforeAll(async () => {
    const faces = await loadRealFaces('faces-lfw-dev', { identities: SAMPLE_IDENTITIES });
    const built = libraryWithFaces(tempDir(), faces);
    library = built.library;
    runIncrementalClustering(library);
    const named = new Set<string>();
    const namedFace = new Map<string, RealFace>();
    faces.forEach((face, i) => {
      if (!face.identity || named.has(face.identity)) return;
      named.add(face.identity);
      namedFace.set(face.identity, face);
      nameFace(library, built.faceIds[i]!, face.identity);
    });
    runIncrementalClustering(library);
    const rows = library.db
      .prepare(
        `SELECT f.id, p.name AS personName, f.confidence, s.name AS suggestionName, f.suggestion_confidence AS suggestionConfidence
                FROM faces f LEFT JOIN people p ON p.id = f.person_id LEFT JOIN people s ON s.id = f.suggested_person_id`,
      )
      .all() as {
      id: number;
      personName: string | null;
      confidence: number | null;
      suggestionName: string | null;
      suggestionConfidence: number | null;
    }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    outcomes = faces.flatMap((face, i) => {
      if (!face.identity || namedFace.get(face.identity) === face) return [];
      const row = byId.get(built.faceIds[i]!)!;
      const predicted = row.personName ?? row.suggestionName;
      const confidence = row.personName ? (row.confidence ?? 0) : (row.suggestionConfidence ?? 0);
      const reference = predicted ? namedFace.get(predicted) : undefined;
      const cosine = reference ? face.embedding.reduce((s, v, d) => s + v * reference.embedding[d]!, 0) : 0;
      return [{ identity: face.identity, predicted, confidence, cosine }];
    });
  }, 600_000);

  it('covers ≥ 90% of the other photos, ≥ 95% correctly, with ECE ≤ 0.05 (and better than (cos+1)/2)', () => {
    const covered = outcomes.filter((o) => o.predicted !== null);
    const coverage = covered.length / outcomes.length;
    const accuracy = covered.filter((o) => o.predicted === o.identity).length / covered.length;
    const ece = expectedCalibrationError(covered.map((o) => ({ confidence: o.confidence, correct: o.predicted === o.identity })));
    const linearEce = expectedCalibrationError(
      covered.map((o) => ({ confidence: (o.cosine + 1) / 2, correct: o.predicted === o.identity })),
    );
    console.log(JSON.stringify({ photos: outcomes.length, coverage, accuracy, ece, linearEce }));
    expect(coverage).toBeGreaterThanOrEqual(0.9);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(ece).toBeLessThanOrEqual(0.05);
    expect(ece).toBeLessThan(linearEce);
  });
});

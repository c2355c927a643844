import type { Library } from '../../src/engine/library/library';
import { bcubed, type BCubedScore } from './bcubed';
import { loadFaceVectors, row } from '../../src/engine/library/face-vectors';
import { immichClustering } from './immich-baseline';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { nameFace } from '../../src/engine/people/naming';
import { NeighbourIndex } from '../../src/engine/people/neighbour-index';
import { dot } from '../../src/engine/ml/vector-math';
import { expectedCalibrationError } from './calibration-error';
import { centredFaceIndex } from './centred-face';
import { measurePairDistributions, type PairDistributions } from './pair-distributions';

export interface LabelledPhoto {
  path: string;
  identity: string;
}

export interface QualityReport {
  labelledPhotos: number;
  scoredPhotos: number;
  facet: BCubedScore;
  immich: BCubedScore;
}

/** Same/different pair distributions of the labelled centred faces: how the manifest's priors are measured. */
export function labelledPairDistributions(library: Library, labels: readonly LabelledPhoto[], modelId: string): PairDistributions {
  const scored = centredFaces(library, labels);
  const vectors = loadFaceVectors(
    library.db,
    modelId,
    scored.map((s) => s.faceId),
  );
  const at = new Map(vectors.ids.map((id, i) => [id, i]));
  return measurePairDistributions(
    scored.filter((s) => at.has(s.faceId)).map((s) => ({ identity: s.identity, embedding: row(vectors, at.get(s.faceId)!) })),
  );
}

export interface CalibrationReport {
  photos: number;
  coverage: number;
  accuracy: number;
  /** ECE (10 bins) of Facet's confidence, and of the linear rescale (cos + 1) / 2 beside it. */
  ece: number;
  linearEce: number;
}

export interface CentredFace {
  identity: string;
  faceId: number;
  /** In the photo's upright pixels. */
  box: [number, number, number, number];
  path: string;
}

/** Each labelled photo's centred face (LFW labels the centred person). Photos without a face are skipped. */
export function centredFaces(library: Library, labels: readonly LabelledPhoto[]): CentredFace[] {
  const photo = library.db.prepare('SELECT id, width, height FROM photos WHERE path = ?');
  const faces = library.db.prepare('SELECT id, box_x, box_y, box_w, box_h FROM faces WHERE photo_id = ? ORDER BY id');
  return labels.flatMap(({ path, identity }) => {
    const p = photo.get(path) as { id: number; width: number; height: number } | undefined;
    if (!p) return [];
    const rows = faces.all(p.id) as { id: number; box_x: number; box_y: number; box_w: number; box_h: number }[];
    const i = centredFaceIndex(
      rows.map((r) => [r.box_x, r.box_y, r.box_w, r.box_h] as const),
      p.width,
      p.height,
    );
    const r = rows[i];
    return r ? [{ identity, faceId: r.id, box: [r.box_x, r.box_y, r.box_w, r.box_h] as [number, number, number, number], path }] : [];
  });
}

/** BCubed F1 of the people in the library, and of Immich's algorithm on the same stored embeddings. */
export function scorePeople(library: Library, labels: readonly LabelledPhoto[], modelId: string): QualityReport {
  const scored = centredFaces(library, labels);
  const personOf = library.db.prepare('SELECT person_id FROM faces WHERE id = ?').pluck();
  const facet = bcubed(
    scored.map((s) => s.identity),
    scored.map((s) => (personOf.get(s.faceId) as number | null) ?? null),
  );
  const vectors = loadFaceVectors(library.db, modelId);
  const index = NeighbourIndex.forSize(vectors.dimensions, vectors.ids.length);
  index.add(
    vectors.ids.map((_, i) => i),
    vectors.flat,
  );
  // Immich searches its whole library within its radius: 50 neighbours stand in for that.
  const immichPeople = immichClustering(index.search(vectors.flat, 50));
  const at = new Map(vectors.ids.map((id, i) => [id, i]));
  const immich = bcubed(
    scored.map((s) => s.identity),
    scored.map((s) => immichPeople[at.get(s.faceId) ?? -1] ?? null),
  );
  return { labelledPhotos: labels.length, scoredPhotos: scored.length, facet, immich };
}

/**
 * The calibration check, run on the library it is given (use a copy: it names people):
 * name one photo of each person, re-cluster, then every other labelled photo should get a name or a
 * suggestion whose confidence matches how often it is right.
 */
export function calibrationAfterNaming(library: Library, labels: readonly LabelledPhoto[], modelId: string): CalibrationReport {
  const scored = centredFaces(library, labels);
  const named = new Map<string, number>();
  for (const s of scored) {
    if (named.has(s.identity)) continue;
    named.set(s.identity, s.faceId);
    nameFace(library, s.faceId, s.identity);
  }
  runIncrementalClustering(library);
  const vectors = loadFaceVectors(library.db, modelId);
  const at = new Map(vectors.ids.map((id, i) => [id, i]));
  const outcome = library.db
    .prepare(`SELECT p.name AS personName, f.confidence, s.name AS suggestionName, f.suggestion_confidence AS suggestionConfidence
    FROM faces f LEFT JOIN people p ON p.id = f.person_id LEFT JOIN people s ON s.id = f.suggested_person_id WHERE f.id = ?`);
  const items = scored
    .filter((s) => named.get(s.identity) !== s.faceId)
    .map((s) => {
      const o = outcome.get(s.faceId) as {
        personName: string | null;
        confidence: number | null;
        suggestionName: string | null;
        suggestionConfidence: number | null;
      };
      const predicted = o.personName ?? o.suggestionName;
      const confidence = o.personName ? (o.confidence ?? 0) : (o.suggestionConfidence ?? 0);
      const reference = predicted ? named.get(predicted) : undefined;
      const cosine = reference !== undefined ? dot(row(vectors, at.get(s.faceId)!), row(vectors, at.get(reference)!)) : 0;
      return { predicted, correct: predicted === s.identity, confidence, cosine };
    });
  const covered = items.filter((i) => i.predicted !== null);
  return {
    photos: items.length,
    coverage: covered.length / Math.max(1, items.length),
    accuracy: covered.filter((i) => i.correct).length / Math.max(1, covered.length),
    ece: expectedCalibrationError(covered),
    linearEce: expectedCalibrationError(covered.map((i) => ({ confidence: (i.cosine + 1) / 2, correct: i.correct }))),
  };
}

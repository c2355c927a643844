import type { Db } from './database';
import { createPerson } from './people-store';
import { prepared, preparedPluck } from './statements';

/**
 * The clustering's bulk reads and writes over `faces`, `people` and `face_rejections`
 * (people/incremental-clustering.ts decides; this reads its inputs and writes its decisions).
 */

export interface ClusteringFaceRow {
  id: number;
  photoId: number;
  quality: number;
  /** The resolution factor of its quality; null for faces indexed before it was stored. */
  resolution: number | null;
  personId: number | null;
  assignment: string | null;
  takenAt: string | null;
}

/** What the clustering writes for one face: its person (negative: a new group), confidence and suggestion. */
export interface FaceDecisionRow {
  faceId: number;
  personId: number | null;
  confidence: number | null;
  /**
   * personId null: a "Who is this?" question for the unnamed cluster the face stands for. `kind`: what
   * the answer is about, the face alone or its unnamed cluster (faces.suggestion_kind).
   */
  suggestion?: { personId: number | null; confidence: number | null; value: number | null; kind?: 'face' | 'cluster' } | null;
}

/** The embedding models the library has faces of. */
export function faceModelIds(db: Db): string[] {
  return preparedPluck(db, 'SELECT DISTINCT model_id FROM faces').all() as string[];
}

export function unclusteredFaceIds(db: Db, modelId: string): number[] {
  return preparedPluck(db, 'SELECT id FROM faces WHERE model_id = ? AND clustered_at IS NULL').all(modelId) as number[];
}

export function clusteredFaceIds(db: Db, modelId: string): number[] {
  return preparedPluck(db, 'SELECT id FROM faces WHERE model_id = ? AND clustered_at IS NOT NULL').all(modelId) as number[];
}

export function faceVectorDimensions(db: Db, modelId: string): number | undefined {
  return preparedPluck(db, "SELECT dimensions FROM vector_tables WHERE kind = 'face' AND model_id = ?").get(modelId) as number | undefined;
}

export function clusteringFaces(db: Db, modelId: string): ClusteringFaceRow[] {
  return prepared(
    db,
    `SELECT f.id, f.photo_id AS photoId, f.quality, f.resolution, f.person_id AS personId, f.assignment, p.taken_at AS takenAt
              FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.model_id = ?`,
  ).all(modelId) as ClusteringFaceRow[];
}

export function allPeopleForClustering(db: Db): { id: number; name: string | null; birthDate: string | null }[] {
  return prepared(db, 'SELECT id, name, birth_date AS birthDate FROM people').all() as {
    id: number;
    name: string | null;
    birthDate: string | null;
  }[];
}

export function allRejections(db: Db): { faceId: number; personId: number }[] {
  return prepared(db, 'SELECT face_id AS faceId, person_id AS personId FROM face_rejections').all() as {
    faceId: number;
    personId: number;
  }[];
}

/** Each named person's faces of a model, up to `perPerson`: the confirmed ones first, then the most certain. */
export function namedPersonFaces(db: Db, modelId: string, perPerson: number): { id: number; personId: number }[] {
  return prepared(
    db,
    `SELECT id, person_id AS personId FROM (
                SELECT f.id, f.person_id, ROW_NUMBER() OVER (PARTITION BY f.person_id ORDER BY f.assignment = 'confirmed' DESC, f.confidence DESC, f.id) AS rank
                FROM faces f JOIN people p ON p.id = f.person_id WHERE f.model_id = ? AND p.name IS NOT NULL) WHERE rank <= ?`,
  ).all(modelId, perPerson) as { id: number; personId: number }[];
}

/** Faces of unnamed, visible clusters the user has not confirmed. */
export function unnamedClusterFaceIds(db: Db, modelId: string): number[] {
  return preparedPluck(
    db,
    `SELECT f.id FROM faces f JOIN people p ON p.id = f.person_id WHERE f.model_id = ? AND p.name IS NULL AND p.hidden = 0 AND f.assignment IS NOT 'confirmed'`,
  ).all(modelId) as number[];
}

/** Faces that joined a named person automatically (not confirmed by the user). */
export function namedAutomaticFaceIds(db: Db, modelId: string): number[] {
  return preparedPluck(
    db,
    `SELECT f.id FROM faces f JOIN people p ON p.id = f.person_id WHERE f.model_id = ? AND p.name IS NOT NULL AND f.assignment IS NOT 'confirmed'`,
  ).all(modelId) as number[];
}

/** A face as a clustering run read it before deciding (see writeFaceDecisions). */
export interface SeenFace {
  photoId: number;
  personId: number | null;
  confirmed: boolean;
}

/**
 * New groups become unnamed people; every decided face records its person, confidence and suggestion.
 * Returns the people created.
 *
 * WHY `seen`: a run decides from what it read, often seconds earlier, while the user may be naming,
 * moving, rejecting or merging in another process (the app's main process edits while the worker
 * clusters). Inside the write transaction each decision is checked against the face as it is now:
 * a face that changed since it was read (another person, confirmed or unconfirmed, deleted and its
 * id reused) is left as the user made it; a decision for a person merged away or rejected for that
 * face meanwhile is dropped, and such a suggestion is cleared. The next run decides those faces again.
 */
export function writeFaceDecisions(db: Db, decisions: readonly FaceDecisionRow[], seen: ReadonlyMap<number, SeenFace>): number {
  let created = 0;
  db.transaction(() => {
    const current = prepared(
      db,
      `SELECT photo_id AS photoId, person_id AS personId, assignment IS 'confirmed' AS confirmed FROM faces WHERE id = ?`,
    );
    const personExists = prepared(db, 'SELECT 1 FROM people WHERE id = ?');
    const rejected = prepared(db, 'SELECT 1 FROM face_rejections WHERE face_id = ? AND person_id = ?');
    const stillAsSeen = (faceId: number): boolean => {
      const was = seen.get(faceId);
      const now = current.get(faceId) as { photoId: number; personId: number | null; confirmed: number } | undefined;
      return !!was && !!now && now.photoId === was.photoId && now.personId === was.personId && Boolean(now.confirmed) === was.confirmed;
    };
    const allowed = (faceId: number, personId: number): boolean =>
      personId < 0 || (!!personExists.get(personId) && !rejected.get(faceId, personId));
    const valid = decisions
      .filter((d) => stillAsSeen(d.faceId) && (d.personId === null || allowed(d.faceId, d.personId)))
      .map((d) =>
        d.suggestion && d.suggestion.personId !== null && !allowed(d.faceId, d.suggestion.personId) ? { ...d, suggestion: null } : d,
      );

    const groupIds = new Map<number, number>();
    for (const d of valid) {
      if (d.personId !== null && d.personId < 0 && !groupIds.has(d.personId)) {
        groupIds.set(d.personId, createPerson(db, null));
        created++;
      }
    }
    const update = prepared(
      db,
      `UPDATE faces SET person_id = ?, assignment = CASE WHEN ? IS NULL THEN NULL WHEN assignment = 'confirmed' THEN 'confirmed' ELSE 'auto' END,
      confidence = ?, suggested_person_id = ?, suggestion_confidence = ?, suggestion_value = ?, suggestion_kind = ?, clustered_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
    );
    for (const d of valid) {
      const personId = d.personId !== null && d.personId < 0 ? groupIds.get(d.personId)! : d.personId;
      update.run(
        personId,
        personId,
        d.confidence,
        d.suggestion?.personId ?? null,
        d.suggestion?.confidence ?? null,
        d.suggestion?.value ?? null,
        d.suggestion?.kind ?? null,
        d.faceId,
      );
    }
  }).immediate(); // waits for an edit in progress instead of failing on a changed snapshot
  return created;
}

/**
 * Clusters the user never touched (no name, hiding, birth date, cover, confirmed face or rejection)
 * lose their automatic faces and are deleted, and every unassigned face is marked for clustering
 * again. A touched person keeps its id and faces, so rejections and confirmations that point at it
 * keep meaning what the user meant.
 */
export function forgetAutomaticClusters(db: Db): void {
  const untouched = `SELECT id FROM people p WHERE p.name IS NULL AND p.hidden = 0 AND p.birth_date IS NULL AND p.cover_face_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM faces WHERE person_id = p.id AND assignment = 'confirmed')
    AND NOT EXISTS (SELECT 1 FROM face_rejections WHERE person_id = p.id)`;
  db.transaction(() => {
    prepared(
      db,
      `UPDATE faces SET person_id = NULL, assignment = NULL, confidence = NULL WHERE assignment = 'auto' AND person_id IN (${untouched})`,
    ).run();
    prepared(db, `DELETE FROM people WHERE id IN (${untouched}) AND NOT EXISTS (SELECT 1 FROM faces WHERE person_id = people.id)`).run();
    prepared(db, 'UPDATE faces SET clustered_at = NULL WHERE person_id IS NULL').run();
  }).immediate(); // waits for an edit in progress instead of failing on a changed snapshot
}

/** A fingerprint of the user's evidence for a model: counts and checksums of its confirmations and rejections. */
export function evidenceCounts(db: Db, modelId: string): { confirmed: { n: number; s: number }; rejected: { n: number; s: number } } {
  const confirmed = prepared(
    db,
    `SELECT COUNT(*) AS n, TOTAL(id * 31 + person_id) AS s FROM faces WHERE model_id = ? AND assignment = 'confirmed'`,
  ).get(modelId) as { n: number; s: number };
  const rejected = prepared(
    db,
    `SELECT COUNT(*) AS n, TOTAL(r.face_id * 17 + r.person_id) AS s FROM face_rejections r JOIN faces f ON f.id = r.face_id WHERE f.model_id = ?`,
  ).get(modelId) as { n: number; s: number };
  return { confirmed, rejected };
}

/** The newest confirmed faces of named people of a model (what the learned adapter trains on). */
export function confirmedNamedFaces(db: Db, modelId: string, limit: number): { id: number; person: number }[] {
  return prepared(
    db,
    `SELECT f.id, f.person_id AS person FROM faces f JOIN people p ON p.id = f.person_id
              WHERE f.model_id = ? AND f.assignment = 'confirmed' AND p.name IS NOT NULL ORDER BY f.id DESC LIMIT ?`,
  ).all(modelId, limit) as { id: number; person: number }[];
}

/** The newest rejections of a model's faces. */
export function recentRejections(db: Db, modelId: string, limit: number): { faceId: number; personId: number }[] {
  return prepared(
    db,
    `SELECT r.face_id AS faceId, r.person_id AS personId FROM face_rejections r JOIN faces f ON f.id = r.face_id WHERE f.model_id = ? ORDER BY r.rowid DESC LIMIT ?`,
  ).all(modelId, limit) as { faceId: number; personId: number }[];
}

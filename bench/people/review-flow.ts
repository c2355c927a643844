import type { Library } from '../../src/engine/library/library';
import { type ClusteringOptions, runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { nameFace } from '../../src/engine/people/naming';
import { reviewQueue } from '../../src/engine/library/review-queue-store';
import { acceptSuggestions, rejectSuggestions } from '../../src/engine/people/suggestion-review';
import { expectedCalibrationError } from './calibration-error';

/** A face whose true identity is known (the centred face of a labelled photo). */
export interface LabelledFace {
  faceId: number;
  identity: string;
}

export interface RoundReport {
  shown: number;
  accepted: number;
  declined: number;
  skipped: number;
}

export interface OutcomeReport {
  /** Labelled faces other than the one named per person. */
  faces: number;
  /** Share of them with a name or a suggestion. */
  coverage: number;
  /** Share of the covered whose name or suggestion is right. */
  accuracy: number;
  ece: number;
  /** Claims at ≥ 0.9 (names and suggestions) and the share of them that is right. */
  confident: number;
  confidentRight: number;
  /** Faces the user's answers named (confirmed). */
  confirmed: number;
  /**
   * Share of the uncovered faces that sit in an unnamed cluster of two or more: no name or guess,
   * but the People page lists the cluster, so one "name this person" reaches them all.
   */
  uncoveredInClusters: number;
}

export interface ReviewFlowReport {
  people: number;
  afterNaming: OutcomeReport;
  rounds: (RoundReport & OutcomeReport)[];
  /** Distinct faces the user looked at over all rounds (a face skipped in two rounds counts once). */
  reviewed: number;
}

/**
 * The user journey, on a library that was indexed and clustered: name one photo per person
 * (the first labelled face of each identity), then `rounds` rounds of review through the review queue:
 * accept every right suggestion, decline every wrong one, skip faces of people the user does not know
 * (no label), re-cluster after each round. Scores names and suggestions of the labelled faces.
 */
export function reviewFlow(
  library: Library,
  labelled: readonly LabelledFace[],
  rounds = 3,
  clustering: ClusteringOptions = {},
): ReviewFlowReport {
  const identityOf = new Map(labelled.map((l) => [l.faceId, l.identity]));
  const namedFaces = new Set<number>();
  const namedIdentities = new Set<string>();
  for (const { faceId, identity } of labelled) {
    if (namedIdentities.has(identity)) continue;
    namedIdentities.add(identity);
    namedFaces.add(faceId);
    nameFace(library, faceId, identity);
  }
  runIncrementalClustering(library, clustering);
  const scored = labelled.filter((l) => !namedFaces.has(l.faceId));
  const report: ReviewFlowReport = { people: namedIdentities.size, afterNaming: outcome(library, scored), rounds: [], reviewed: 0 };
  const seen = new Set<number>();
  for (let round = 0; round < rounds; round++) {
    const queue = reviewQueue(library.db, { limit: 1_000_000 });
    const accept: number[] = [];
    const decline: number[] = [];
    let skipped = 0;
    for (const item of queue) {
      const truth = identityOf.get(item.faceId);
      if (truth === undefined) skipped++;
      else if (truth === item.personName) accept.push(item.faceId);
      else decline.push(item.faceId);
    }
    if (accept.length) acceptSuggestions(library, accept);
    if (decline.length) rejectSuggestions(library, decline);
    runIncrementalClustering(library, clustering);
    for (const item of queue) seen.add(item.faceId);
    report.reviewed = seen.size;
    report.rounds.push({ shown: queue.length, accepted: accept.length, declined: decline.length, skipped, ...outcome(library, scored) });
  }
  return report;
}

function outcome(library: Library, scored: readonly LabelledFace[]): OutcomeReport {
  const row = library.db
    .prepare(`SELECT p.name AS personName, f.confidence, f.assignment, s.name AS suggestionName, f.suggestion_confidence AS suggestionConfidence,
    (SELECT COUNT(*) FROM faces g WHERE g.person_id = f.person_id) AS clusterSize
    FROM faces f LEFT JOIN people p ON p.id = f.person_id LEFT JOIN people s ON s.id = f.suggested_person_id WHERE f.id = ?`);
  const items = scored.map(({ faceId, identity }) => {
    const o = row.get(faceId) as {
      personName: string | null;
      confidence: number | null;
      assignment: string | null;
      suggestionName: string | null;
      suggestionConfidence: number | null;
      clusterSize: number;
    };
    const predicted = o.personName ?? o.suggestionName;
    const confidence = o.personName ? (o.confidence ?? 0) : (o.suggestionConfidence ?? 0);
    return {
      predicted,
      correct: predicted === identity,
      confidence,
      confirmed: o.assignment === 'confirmed',
      clustered: o.clusterSize >= 2,
    };
  });
  const covered = items.filter((i) => i.predicted !== null);
  // Confirmed faces are the user's own answers: right by construction, so they count for coverage and
  // accuracy but not for calibration (their confidence 1 is not a claim Facet made).
  const claims = covered.filter((i) => !i.confirmed);
  const confident = claims.filter((i) => i.confidence >= 0.9);
  return {
    faces: items.length,
    coverage: covered.length / Math.max(1, items.length),
    accuracy: covered.filter((i) => i.correct).length / Math.max(1, covered.length),
    ece: expectedCalibrationError(claims),
    confident: confident.length,
    confidentRight: confident.filter((i) => i.correct).length / Math.max(1, confident.length),
    confirmed: items.filter((i) => i.confirmed).length,
    uncoveredInClusters:
      items.filter((i) => i.predicted === null && i.clustered).length / Math.max(1, items.filter((i) => i.predicted === null).length),
  };
}

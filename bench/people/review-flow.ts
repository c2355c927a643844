import type { Library } from '../../src/engine/library/library';
import { type ClusteringOptions, runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { nameCluster, nameFace } from '../../src/engine/people/naming';
import type { SuggestionInfo } from '../../src/common/api/people';
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
  /** Cluster questions answered with a typed name (the guess, if any, was not the person). */
  named: number;
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
 * (no label), re-cluster after each round. A cluster question is answered as the app asks it: the user
 * sees its faces and, when most of them are a person already named, answers with that name ("yes" to
 * a right guess, or types it), confirming the shown faces that are that person (unticking the others);
 * otherwise declines a guess, or skips a "Who is this?" about a stranger. Scores names and suggestions
 * of the labelled faces.
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
    const names: { faceIds: number[]; name: string; typed: boolean }[] = [];
    let skipped = 0;
    for (const item of queue) {
      if (item.kind === 'cluster') {
        const answer = clusterAnswer(item, identityOf, namedIdentities);
        if (answer) names.push({ ...answer, typed: answer.name !== item.personName });
        else if (item.personId !== null) decline.push(item.faceId);
        else skipped++;
        continue;
      }
      const truth = identityOf.get(item.faceId);
      if (truth === undefined) skipped++;
      else if (truth === item.personName) accept.push(item.faceId);
      else decline.push(item.faceId);
    }
    if (accept.length) acceptSuggestions(library, accept);
    if (decline.length) rejectSuggestions(library, decline);
    for (const { faceIds, name } of names) nameCluster(library, faceIds, name);
    runIncrementalClustering(library, clustering);
    for (const item of queue) seen.add(item.faceId);
    report.reviewed = seen.size;
    const typed = names.filter((n) => n.typed).length;
    report.rounds.push({
      shown: queue.length,
      accepted: accept.length + names.length - typed,
      declined: decline.length,
      skipped,
      named: typed,
      ...outcome(library, scored),
    });
  }
  return report;
}

/**
 * How the simulated user answers a cluster question: the name of the person most of the shown faces
 * are, when the library already knows them, confirming only the shown faces of that person; none
 * (decline the guess, or skip) for a stranger.
 */
function clusterAnswer(
  item: SuggestionInfo,
  identityOf: ReadonlyMap<number, string>,
  known: ReadonlySet<string>,
): { faceIds: number[]; name: string } | undefined {
  const counts = new Map<string, number>();
  for (const id of item.faceIds) {
    const identity = identityOf.get(id);
    if (identity !== undefined) counts.set(identity, (counts.get(identity) ?? 0) + 1);
  }
  const [name, count] = [...counts].reduce<[string | undefined, number]>((a, b) => (b[1] > a[1] ? b : a), [undefined, 0]);
  if (name === undefined || count * 2 <= item.faceIds.length || !known.has(name)) return undefined;
  return { faceIds: item.faceIds.filter((id) => identityOf.get(id) === name), name };
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

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
    const tally = { shown: 0, accepted: 0, declined: 0, skipped: 0, named: 0 };
    // Answered in the queue's order, one edit each, as the app saves them. The app refreshes the
    // questions ahead after every answer; here a cluster question shows the faces of it still in the
    // cluster, and a question an earlier answer settled is passed over (the app drops it).
    for (const item of queue) {
      const answer = answerOf(item, identityOf, namedIdentities, library);
      if (answer === 'gone') continue;
      seen.add(item.faceId);
      tally.shown++;
      if (answer === 'skip') tally.skipped++;
      else if (answer === 'yes') {
        acceptSuggestions(library, [item.faceId]);
        tally.accepted++;
      } else if (answer === 'no') {
        rejectSuggestions(library, [item.faceId]);
        tally.declined++;
      } else {
        nameCluster(library, answer.faceIds, answer.name);
        if (answer.name === item.personName) tally.accepted++;
        else tally.named++;
      }
    }
    runIncrementalClustering(library, clustering);
    report.reviewed = seen.size;
    report.rounds.push({
      ...tally,
      ...outcome(library, scored),
    });
  }
  return report;
}

/**
 * How the simulated user answers one question. A face question: yes when the guess is the face's
 * person, no when it is someone else, skip for a stranger (no label). A cluster question: the name of
 * the person most of the shown faces are, when the library already knows them, confirming only the
 * shown faces of that person; else no to a guess, or skip a "Who is this?". 'gone': an earlier answer
 * settled the question (its face no longer carries it).
 */
function answerOf(
  item: SuggestionInfo,
  identityOf: ReadonlyMap<number, string>,
  known: ReadonlySet<string>,
  library: Library,
): 'yes' | 'no' | 'skip' | 'gone' | { faceIds: number[]; name: string } {
  const now = library.db
    .prepare('SELECT person_id AS clusterId, suggested_person_id AS personId, suggestion_value AS value FROM faces WHERE id = ?')
    .get(item.faceId) as { clusterId: number | null; personId: number | null; value: number | null };
  if (now.value === null || now.personId !== item.personId || (item.kind === 'cluster' && now.clusterId !== item.clusterId)) return 'gone';
  if (item.kind === 'face') {
    const truth = identityOf.get(item.faceId);
    return truth === undefined ? 'skip' : truth === item.personName ? 'yes' : 'no';
  }
  const inCluster = library.db.prepare('SELECT person_id FROM faces WHERE id = ?').pluck();
  const shown = item.faceIds.filter((id) => inCluster.get(id) === item.clusterId);
  const counts = new Map<string, number>();
  for (const id of shown) {
    const identity = identityOf.get(id);
    if (identity !== undefined) counts.set(identity, (counts.get(identity) ?? 0) + 1);
  }
  const [name, count] = [...counts].reduce<[string | undefined, number]>((a, b) => (b[1] > a[1] ? b : a), [undefined, 0]);
  if (name !== undefined && count * 2 > shown.length && known.has(name))
    return { faceIds: shown.filter((id) => identityOf.get(id) === name), name };
  return item.personId !== null ? 'no' : 'skip';
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

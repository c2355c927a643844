import type { FaceRecord, PersonRecord } from './face-records';
import { personPosteriors, type Evidence } from './person-evidence';

/** A named best guess for a face, and how much answering it is worth. */
export interface Suggestion {
  personId: number;
  /** Calibrated probability that the face is this person. */
  confidence: number;
  /**
   * Expected faces named by answering: confidence × the faces a "yes" settles. Null for a member of an
   * unnamed cluster that is not the cluster's question (its representative asks for all of them).
   */
  value: number | null;
}

export interface SuggestionInput {
  evidence: Evidence;
  faces: Map<number, FaceRecord>;
  people: Map<number, PersonRecord>;
  /** Faces whose suggestion this run decides. */
  toDecide: readonly number[];
  /** Faces below this quality get no suggestion: their evidence is tempered to almost nothing. */
  minQuality: number;
  /** Posterior below which a person is not suggested. */
  minConfidence: number;
  /** Similarity at which a named face pulls a free neighbour toward its person (the linkage line). */
  pullSimilarity: number;
}

/**
 * Named best guesses for the faces a run decided, with the review queue's order:
 * - a free face is asked about the most probable *named* person (an unnamed cluster may outscore every
 *   named one; the suggestion is still the best name), worth its confidence × (1 + the free faces it
 *   would pull along: those that have it as a close neighbour);
 * - an unnamed cluster is asked once, through the face that most resembles a named person ("Is this
 *   Alice?"), worth the confidence × the cluster's size, because accepting names the whole cluster.
 *   A person that any face of the cluster was declined for is never suggested for the cluster again.
 */
export function suggestNames(input: SuggestionInput): Map<number, Suggestion> {
  const { evidence, faces, people } = input;
  const named = (personId: number): boolean => people.get(personId)?.named === true;
  const result = new Map<number, Suggestion>();
  const decided = new Set(input.toDecide);

  const pulls = new Map<number, number>();
  for (const id of input.toDecide) {
    if (evidence.personOf(id) !== null) continue;
    for (const n of evidence.neighbours.get(id) ?? []) {
      if (n.id !== id && n.similarity >= input.pullSimilarity && evidence.personOf(n.id) === null) pulls.set(n.id, (pulls.get(n.id) ?? 0) + 1);
    }
  }

  const clusters = new Map<number, number[]>();
  const clusterSize = new Map<number, number>();
  for (const face of faces.values()) {
    const personId = evidence.personOf(face.id);
    if (personId === null || named(personId)) continue;
    clusterSize.set(personId, (clusterSize.get(personId) ?? 0) + 1);
    if (decided.has(face.id) && !face.confirmed) clusters.set(personId, [...(clusters.get(personId) ?? []), face.id]);
  }

  for (const id of input.toDecide) {
    if (evidence.personOf(id) !== null || faces.get(id)!.quality < input.minQuality) continue;
    const best = personPosteriors(evidence, id).find((c) => named(c.personId));
    if (best && best.posterior >= input.minConfidence) result.set(id, { personId: best.personId, confidence: best.posterior, value: best.posterior * (1 + (pulls.get(id) ?? 0)) });
  }

  for (const [clusterId, members] of clusters) {
    const declined = new Set(members.flatMap((id) => [...(evidence.rejections.get(id) ?? [])]));
    let pick: { faceId: number; personId: number; posterior: number } | undefined;
    for (const id of members) {
      if (faces.get(id)!.quality < input.minQuality) continue;
      const best = personPosteriors(evidence, id, true).find((c) => named(c.personId) && !declined.has(c.personId));
      if (best && (!pick || best.posterior > pick.posterior)) pick = { faceId: id, ...best };
    }
    if (!pick || pick.posterior < input.minConfidence) continue;
    for (const id of members) result.set(id, { personId: pick.personId, confidence: pick.posterior, value: id === pick.faceId ? pick.posterior * clusterSize.get(clusterId)! : null });
  }
  return result;
}

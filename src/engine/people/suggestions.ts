import { logLikelihoodRatio, type DistanceModel } from './distance-model';
import type { FaceRecord, PersonRecord } from './face-records';
import { personPosteriors, type Evidence } from './person-evidence';
import { dot } from '../ml/vector-math';

/** A named person's faces, summed: enough for the average similarity of a whole cluster to them. */
export interface PersonSum {
  sum: Float32Array;
  count: number;
  photos: ReadonlySet<number>;
}

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
  /** Unit embeddings of the faces in `toDecide`. */
  vectors: Map<number, Float32Array>;
  /** Every named person's faces, summed (no cluster questions without them). */
  namedSums?: Map<number, PersonSum>;
  model: DistanceModel;
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
      if (n.id !== id && n.similarity >= input.pullSimilarity && evidence.personOf(n.id) === null)
        pulls.set(n.id, (pulls.get(n.id) ?? 0) + 1);
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
    if (best && best.posterior >= input.minConfidence)
      result.set(id, { personId: best.personId, confidence: best.posterior, value: best.posterior * (1 + (pulls.get(id) ?? 0)) });
  }

  for (const [clusterId, members] of clusters) {
    const question = input.namedSums ? clusterQuestion(input, members, input.namedSums) : undefined;
    if (!question || question.posterior < input.minConfidence) continue;
    for (const id of members)
      result.set(id, {
        personId: question.personId,
        confidence: question.posterior,
        value: id === question.faceId ? question.posterior * clusterSize.get(clusterId)! : null,
      });
  }
  return result;
}

/**
 * "Is this cluster one of the named people?": the cluster's average similarity to each named person
 * (dot of the two sums over the pair count, i.e. the mean over every pair of their faces) scored with
 * p_same / p_diff, against every named person at once plus the open-set "someone else" — not against
 * the few that happen to be among one face's neighbours, which made the best of many look-alikes
 * sound certain. A person declined for any face of the cluster, or seen in one of its photos, is out.
 * The question is asked through the member most like that person.
 */
function clusterQuestion(
  input: SuggestionInput,
  members: readonly number[],
  namedSums: Map<number, PersonSum>,
): { faceId: number; personId: number; posterior: number } | undefined {
  const { evidence, faces } = input;
  const withVectors = members.filter((id) => input.vectors.has(id));
  if (withVectors.length === 0) return undefined;
  const dimensions = input.vectors.get(withVectors[0]!)!.length;
  const sum = new Float32Array(dimensions);
  for (const id of withVectors) {
    const v = input.vectors.get(id)!;
    for (let i = 0; i < dimensions; i++) sum[i]! += v[i]!;
  }
  const declined = new Set(members.flatMap((id) => [...(evidence.rejections.get(id) ?? [])]));
  const photos = new Set(members.map((id) => faces.get(id)!.photoId));
  const quality = withVectors.reduce((s, id) => s + faces.get(id)!.quality, 0) / withVectors.length;
  const weight = Math.min(1, quality / evidence.foundingQuality);
  const scored: { personId: number; llr: number }[] = [];
  for (const [personId, person] of namedSums) {
    if (declined.has(personId) || [...photos].some((p) => person.photos.has(p))) continue;
    const similarity = dot(sum, person.sum) / (withVectors.length * person.count);
    scored.push({ personId, llr: logLikelihoodRatio(input.model, similarity, weight) });
  }
  if (scored.length === 0) return undefined;
  const maxLlr = Math.max(0, ...scored.map((s) => s.llr));
  const total = Math.exp(-maxLlr) + scored.reduce((s, x) => s + Math.exp(x.llr - maxLlr), 0);
  const best = scored.reduce((a, b) => (b.llr > a.llr ? b : a));
  const person = namedSums.get(best.personId)!;
  const faceId = withVectors.reduce((a, b) => (dot(input.vectors.get(b)!, person.sum) > dot(input.vectors.get(a)!, person.sum) ? b : a));
  return { faceId, personId: best.personId, posterior: Math.exp(best.llr - maxLlr) / total };
}

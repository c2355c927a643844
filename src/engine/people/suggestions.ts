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

/**
 * A question about a face, and how much answering it is worth: "Is this Alice? 40%" (a named best
 * guess), or, for the face that stands for an unnamed cluster no named person explains, "Who is
 * this?" (`personId` and `confidence` null).
 */
export interface Suggestion {
  personId: number | null;
  /** Calibrated probability that the face is this person (null: no guess, a "Who is this?" question). */
  confidence: number | null;
  /**
   * Expected faces named by answering: confidence × the faces a "yes" settles. Null for a member of an
   * unnamed cluster that is not the cluster's question (its representative asks for all of them).
   */
  value: number | null;
  /**
   * What answering it is about: `face` (this face alone; a free face, or a member of an unnamed cluster
   * whose members are asked one by one) or `cluster` (the face asks for its whole unnamed cluster).
   */
  kind: 'face' | 'cluster';
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
  /** Every named person's faces, summed (no guesses for clusters without them); read only when a cluster is asked about. */
  namedSums?: () => Map<number, PersonSum>;
  model: DistanceModel;
}

/**
 * How likely a user knows the person of an unnamed cluster that no named person explains (and types
 * their name) instead of skipping a stranger. Unknown per library; an even prior keeps a "Who is
 * this?" about a cluster of n faces worth n/2: after a confident lone face (~0.9), before a weak one.
 */
export const KNOWN_PERSON_PRIOR = 0.5;

/** Faces a cluster question's answer is expected to name: a "yes" to the guess, or a typed name. */
export function clusterQuestionValue(size: number, confidence: number): number {
  return size * (confidence + (1 - confidence) * KNOWN_PERSON_PRIOR);
}

/**
 * Named best guesses for the faces a run decided, with the review queue's order:
 * - a free face is asked about the most probable *named* person (an unnamed cluster may outscore every
 *   named one; the suggestion is still the best name), worth its confidence × (1 + the free faces it
 *   would pull along: those that have it as a close neighbour);
 * - an unnamed cluster is asked once, through the face that most resembles a named person ("Is this
 *   Alice?"), worth the faces its answer is expected to name (`clusterQuestionValue`): a "yes" or a
 *   typed name names the whole cluster. A person that any face of the cluster was declined for is
 *   never suggested for the cluster again;
 * - an unnamed cluster of two or more that no named person explains (no guess ≥ `minConfidence`) is
 *   asked "Who is this?" through its most central good face, worth cluster size × KNOWN_PERSON_PRIOR,
 *   and each of its other members is asked about its own best guess, as a free face is (kind `face`);
 *   Only clusters whose every unconfirmed face this run decides are asked (a cluster that only gained
 *   a face keeps the question it has: one question per cluster).
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
  const partly = new Set<number>();
  for (const face of faces.values()) {
    const personId = evidence.personOf(face.id);
    if (personId === null || named(personId)) continue;
    clusterSize.set(personId, (clusterSize.get(personId) ?? 0) + 1);
    if (decided.has(face.id) && !face.confirmed) clusters.set(personId, [...(clusters.get(personId) ?? []), face.id]);
    else if (!face.confirmed) partly.add(personId);
  }

  for (const id of input.toDecide) {
    if (evidence.personOf(id) !== null) continue;
    const best = ownGuess(input, id);
    if (best) result.set(id, { ...best, value: best.confidence * (1 + (pulls.get(id) ?? 0)), kind: 'face' });
  }

  for (const [clusterId, members] of clusters) {
    if (partly.has(clusterId)) continue;
    const size = clusterSize.get(clusterId)!;
    const question = input.namedSums ? clusterQuestion(input, members, input.namedSums()) : undefined;
    if (question && question.posterior >= input.minConfidence) {
      for (const id of members)
        result.set(id, {
          personId: question.personId,
          confidence: question.posterior,
          value: id === question.faceId ? clusterQuestionValue(size, question.posterior) : null,
          kind: 'cluster',
        });
    } else if (size >= 2) {
      // Its members are asked about one by one (see `ownGuess`): the answer concerns that face alone.
      // "Who is this?" is asked through a member without a guess of its own (a face holds one question);
      // when every member has one, they are asked alone, and the cluster once their guesses are declined.
      const guesses = new Map(members.map((id) => [id, ownGuess(input, id)] as const));
      const faceId = centralFace(
        input,
        members,
        members.filter((id) => !guesses.get(id)),
      );
      if (faceId !== undefined)
        result.set(faceId, { personId: null, confidence: null, value: clusterQuestionValue(size, 0), kind: 'cluster' });
      for (const [id, best] of guesses) if (best) result.set(id, { ...best, value: best.confidence, kind: 'face' });
    }
  }
  return result;
}

/**
 * A face's own best named guess, when it is good enough to recognise and the guess worth asking. Free
 * faces get it, and so do the members of an unnamed cluster that no named person explains as a whole:
 * on hard photos such a cluster is often a mixture (degraded faces of different people that look alike
 * by their blur; hard LFW after three rounds: most uncovered faces sat in them), where no one answer
 * fits all of it, but each member may still resemble someone the user named ("Is this Bob? 35%").
 * Its cluster-mates' votes count against the guess, as every competitor's does.
 */
function ownGuess(input: SuggestionInput, id: number, asFree = false): { personId: number; confidence: number } | undefined {
  if (input.faces.get(id)!.quality < input.minQuality) return undefined;
  const best = personPosteriors(input.evidence, id, asFree).find((c) => input.people.get(c.personId)?.named === true);
  return best && best.posterior >= input.minConfidence ? { personId: best.personId, confidence: best.posterior } : undefined;
}

/**
 * The face that stands for a cluster in "Who is this?": the one most like the cluster as a whole
 * (its similarity to the members' sum), tempered by quality so a blurred face never speaks for a
 * sharp cluster.
 */
function centralFace(input: SuggestionInput, members: readonly number[], among: readonly number[] = members): number | undefined {
  const withVectors = members.filter((id) => input.vectors.has(id));
  const candidates = among.filter((id) => input.vectors.has(id));
  if (candidates.length === 0) return undefined;
  const sum = sumOf(withVectors.map((id) => input.vectors.get(id)!));
  const score = (id: number): number =>
    dot(input.vectors.get(id)!, sum) * Math.min(1, input.faces.get(id)!.quality / input.evidence.fullEvidenceQuality);
  return candidates.reduce((a, b) => (score(b) > score(a) ? b : a));
}

function sumOf(vectors: readonly Float32Array[]): Float32Array {
  const sum = new Float32Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < sum.length; i++) sum[i]! += v[i]!;
  return sum;
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
  const sum = sumOf(withVectors.map((id) => input.vectors.get(id)!));
  const declined = new Set(members.flatMap((id) => [...(evidence.rejections.get(id) ?? [])]));
  const photos = new Set(members.map((id) => faces.get(id)!.photoId));
  const quality = withVectors.reduce((s, id) => s + faces.get(id)!.quality, 0) / withVectors.length;
  const weight = Math.min(1, quality / evidence.fullEvidenceQuality);
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

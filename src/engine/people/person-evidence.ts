import type { FaceRecord, PersonRecord, PhotoPeople } from './face-records';
import { logLikelihoodRatio, pairConfidence, type DistanceModel } from './distance-model';
import { dot } from '../ml/vector-math';
import type { Neighbour } from './neighbour-index';

/** Everything needed to weigh which person a face belongs to. */
export interface Evidence {
  model: DistanceModel;
  /** Scores similarities to named people's faces, when an adapter re-scored them. */
  namedModel?: DistanceModel;
  faces: Map<number, FaceRecord>;
  people: Map<number, PersonRecord>;
  neighbours: Map<number, Neighbour[]>;
  rejections: Map<number, Set<number>>;
  personOf: (faceId: number) => number | null;
  photoPeople: PhotoPeople;
  /** A face's evidence counts fully from this quality on (FULL_EVIDENCE_QUALITY). */
  fullEvidenceQuality: number;
  /** What the user confirmed of each named person: automatic names must link to it. */
  confirmed?: ConfirmedFaces;
}

/**
 * Unit vectors of each named person's confirmed faces (the newest few), and of the faces a run
 * decides. A named person is who the user confirmed, not whoever its cluster-mates resemble.
 */
export interface ConfirmedFaces {
  byPerson: Map<number, Float32Array[]>;
  vectors: Map<number, Float32Array>;
}

/** How many of a person's nearest faces speak for it: one look-alike photo is not enough. */
const VOTERS = 3;

/**
 * The person a face most probably belongs to, by nearest-neighbour voting with the Bayes rule:
 * each candidate person's similarity (mean of its closest faces among the neighbours) gives a
 * likelihood ratio p_same/p_diff, and the posterior of person P is LR_P / (1 + Σ LR), where the 1
 * is "someone not yet known" (open set). With one candidate this is p_same / (p_same + p_diff).
 * `onlyPerson` scores the face's own person (its confidence) against the same competitors.
 */
export function bestPersonFor(
  evidence: Evidence,
  faceId: number,
  onlyPerson?: number,
): { personId: number; posterior: number } | undefined {
  const scored = personPosteriors(evidence, faceId);
  if (scored.length === 0) return undefined;
  return onlyPerson === undefined ? scored[0] : scored.find((s) => s.personId === onlyPerson);
}

/**
 * Every candidate person of a face with its posterior (best first), as `bestPersonFor` weighs them.
 * `asFree` scores the face as if it belonged to nobody: its own cluster's faces then vote for no one,
 * which is how an unnamed cluster's face is asked "is this one of the named people?".
 */
export function personPosteriors(evidence: Evidence, faceId: number, asFree = false): { personId: number; posterior: number }[] {
  const face = evidence.faces.get(faceId)!;
  const own = asFree ? evidence.personOf(faceId) : null;
  const byPerson = new Map<number, number[]>();
  for (const n of evidence.neighbours.get(faceId) ?? []) {
    if (n.id === faceId) continue;
    const personId = evidence.personOf(n.id);
    if (personId === null || personId === own || !mayBelongTo(evidence, face, personId)) continue;
    const sims = byPerson.get(personId);
    if (sims) sims.push(n.similarity);
    else byPerson.set(personId, [n.similarity]);
  }
  const weight = Math.min(1, face.quality / evidence.fullEvidenceQuality);
  const scored = [...byPerson].map(([personId, sims]) => {
    const top = sims.sort((a, b) => b - a).slice(0, VOTERS);
    const similarity = top.reduce((s, v) => s + v, 0) / top.length;
    const model = evidence.namedModel && evidence.people.get(personId)?.named ? evidence.namedModel : evidence.model;
    return { personId, llr: logLikelihoodRatio(model, similarity, weight) };
  });
  // log-sum-exp with the open-set term exp(0) = 1, for numerical stability.
  const maxLlr = Math.max(0, ...scored.map((s) => s.llr));
  const total = Math.exp(-maxLlr) + scored.reduce((s, x) => s + Math.exp(x.llr - maxLlr), 0);
  return scored
    .map((s) => ({ personId: s.personId, posterior: linkedToConfirmed(evidence, face, s.personId, Math.exp(s.llr - maxLlr) / total) }))
    .sort((a, b) => b.posterior - a.posterior);
}

/**
 * A face's posterior for a named person, capped by how well it matches that person's *confirmed*
 * faces (p_same / (p_same + p_diff) of the mean of its 3 best similarities to them). Neighbour votes
 * alone are self-reinforcing: when the user names one face of a cluster that holds two look-alikes,
 * the intruders vote for each other and each sounded 99% sure (hard LFW: 5% of such claims wrong;
 * with the cap 1.5%). A claim is only as sure as its weakest link: like the cluster, and like the
 * faces the user said are this person. People with no confirmed face keep the vote.
 */
function linkedToConfirmed(evidence: Evidence, face: FaceRecord, personId: number, posterior: number): number {
  const confirmed = evidence.confirmed?.byPerson.get(personId);
  const vector = evidence.confirmed?.vectors.get(face.id);
  if (!confirmed || !vector || (face.confirmed && face.personId === personId)) return posterior;
  const sims = confirmed.map((c) => dot(c, vector)).sort((a, b) => b - a);
  const top = sims.slice(0, VOTERS);
  const similarity = top.reduce((s, v) => s + v, 0) / top.length;
  const weight = Math.min(1, face.quality / evidence.fullEvidenceQuality);
  return Math.min(posterior, pairConfidence(evidence.model, similarity, weight));
}

/**
 * Hard constraints: never a person the user removed this face from, never a person already in this
 * photo (two faces of one photo are two people), never someone born after the photo was taken.
 */
export function mayBelongTo(evidence: Evidence, face: FaceRecord, personId: number): boolean {
  if (evidence.rejections.get(face.id)?.has(personId)) return false;
  const ownFace = evidence.personOf(face.id) === personId ? 1 : 0;
  if (evidence.photoPeople.count(face.photoId, personId) - ownFace > 0) return false;
  const birthDate = evidence.people.get(personId)?.birthDate;
  if (birthDate && face.takenAt && face.takenAt.slice(0, 10) < birthDate) return false;
  return true;
}

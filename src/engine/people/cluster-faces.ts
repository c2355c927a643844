import { averageLinkage } from './average-linkage';
import { decisionSimilarity, type DistanceModel } from './distance-model';
import type { Neighbour } from './neighbour-index';
import { type FaceRecord, PhotoPeople, type PersonRecord } from './face-records';
import { bestPersonFor, type ConfirmedFaces, type Evidence } from './person-evidence';
import { type PersonSum, suggestNames, type Suggestion } from './suggestions';

export interface ClusteringParams {
  model: DistanceModel;
  /**
   * p_same / p_diff of similarities to named people's faces when the library's learned adapter
   * re-scored them (see adapted-neighbours.ts); absent, `model` scores every similarity.
   */
  namedModel?: DistanceModel;
  /**
   * A face founds a group only with at least this quality and this resolution factor (quality.ts
   * MIN_FOUNDING_*); faces without a stored resolution (indexed before it was) need fullEvidenceQuality.
   * Any face may still join a group, with tempered evidence.
   */
  foundingQuality: number;
  foundingResolution: number;
  /** A face's evidence counts fully from this quality on, tempered by quality / this below it. */
  fullEvidenceQuality: number;
  /** Posterior at which a face joins an unnamed person (a cluster). */
  joinConfidence: number;
  /** Posterior at which a face is auto-named (joins a named person) instead of only suggested. */
  nameConfidence: number;
  /** Posterior below which a named person is not even suggested. */
  suggestConfidence: number;
  /** Average-linkage threshold; defaults to the Bayes line of the distance model at `neighbourPriorSame`. */
  linkageThreshold?: number;
  /**
   * Prior probability that two groups proposed by the neighbour graph are one person, before their
   * similarity is seen. Not 0.5: the graph proposes every group's nearest strangers too, and wrongly
   * merging two people costs the user more (a split by hand) than leaving a person in two clusters
   * (one merge).
   */
  neighbourPriorSame: number;
}

export interface ClusteringInput {
  faces: Map<number, FaceRecord>;
  people: Map<number, PersonRecord>;
  /** Nearest neighbours of every face in `toDecide` (and of the free faces near them). */
  neighbours: Map<number, Neighbour[]>;
  /** face id → people the user removed it from. */
  rejections: Map<number, Set<number>>;
  /** Faces whose person this run decides (new, changed, or still unassigned). */
  toDecide: readonly number[];
  /** Unit embeddings of the faces in `toDecide` (average linkage of the free ones is exact over them). */
  vectors: Map<number, Float32Array>;
  /** Every named person's faces, summed: unnamed clusters are asked whether they are one of them. */
  namedSums?: () => Map<number, PersonSum>;
  /** Each named person's confirmed faces: an automatic name must match them too (person-evidence.ts). */
  confirmed?: ConfirmedFaces;
  /** Group free faces among themselves before letting them join existing people (a full re-cluster). */
  groupFirst?: boolean;
}

export interface FaceDecision {
  faceId: number;
  /** An existing person id, a new group (negative id, numbered per run), or null (unassigned). */
  personId: number | null;
  confidence: number | null;
  suggestion: Suggestion | null;
}

/**
 * Open-set clustering of the faces in `toDecide` against the people that exist:
 * 1. each free face joins the person its neighbours vote for, when the vote is confident;
 * 2. the rest are grouped among themselves by constrained average linkage (only faces above the founding bar found a
 *    group; a group of two or more is a new person, a lone face stays unassigned and is retried when
 *    new faces arrive, so nothing is forced into the nearest known person);
 * 3. faces still free (poor or lone) try once more against all people, new groups included;
 * 4. every decided face gets a calibrated confidence, and a named best guess when it stays free.
 * Confirmed faces never move.
 */
export function clusterFaces(input: ClusteringInput, params: ClusteringParams): FaceDecision[] {
  const { faces, neighbours } = input;
  const assignment = new Map<number, number | null>();
  for (const face of faces.values()) assignment.set(face.id, face.personId);
  const photoPeople = new PhotoPeople(faces.values());
  const evidence: Evidence = {
    model: params.model,
    ...(params.namedModel ? { namedModel: params.namedModel } : {}),
    faces,
    people: input.people,
    neighbours,
    rejections: input.rejections,
    personOf: (id) => assignment.get(id) ?? null,
    photoPeople,
    fullEvidenceQuality: params.fullEvidenceQuality,
    ...(input.confirmed ? { confirmed: input.confirmed } : {}),
  };
  const assign = (faceId: number, personId: number): void => {
    photoPeople.move(faces.get(faceId)!.photoId, assignment.get(faceId) ?? null, personId);
    assignment.set(faceId, personId);
  };
  const isFree = (id: number): boolean => assignment.get(id) == null;
  const byQuality = [...input.toDecide].sort((a, b) => faces.get(b)!.quality - faces.get(a)!.quality);

  const attachFreeFaces = (): void => {
    for (const id of byQuality) {
      if (!isFree(id)) continue;
      const best = bestPersonFor(evidence, id);
      if (best && best.posterior >= joinThresholdFor(best.personId)) assign(id, best.personId);
    }
  };
  const joinThresholdFor = (personId: number): number =>
    input.people.get(personId)?.named ? params.nameConfidence : params.joinConfidence;

  // A full re-cluster frees whole clusters at once: grouped first, a stranger's photos stay together as
  // one (unnamed) person and are asked about as one, instead of each joining the named look-alike its
  // free twins could not vote against (measured on LFW-dev, 200 people, 3 named photos each: 82 faces
  // of strangers took a wrong name that way).
  if (!input.groupFirst) attachFreeFaces();
  let nextGroupId = -1;
  for (const group of groupFreeFaces(input, params, isFree)) {
    const groupId = nextGroupId--;
    input.people.set(groupId, { id: groupId, named: false, birthDate: null });
    for (const id of group) assign(id, groupId);
  }
  attachFreeFaces();

  // An automatic face of a person the user confirmed faces of that no longer reaches the naming
  // confidence (its match with those faces is weak: typically a look-alike that shared the cluster
  // the user named) is released and asked about instead ("Is this Alice? 35%"): a "no" then frees it
  // for the person it really is, where a wrong name would have stayed unseen. A person named as a
  // whole cluster, with nothing confirmed, keeps its faces.
  for (const id of input.toDecide) {
    const personId = assignment.get(id);
    if (personId == null || faces.get(id)!.confirmed || !input.confirmed?.byPerson.has(personId)) continue;
    if ((bestPersonFor(evidence, id, personId)?.posterior ?? 0) >= params.nameConfidence) continue;
    photoPeople.move(faces.get(id)!.photoId, personId, null);
    assignment.set(id, null);
  }

  // A face too poor to recognise (under a sixth of the full-evidence quality) tempers its evidence to
  // almost nothing, so its posterior sits near the open-set prior of 0.5 whoever it resembles: asking
  // "Is this Alice? 55%" about a blurred stranger in the background is noise, not a suggestion. Above
  // that, a poor face's tempered posterior is still calibrated (hard LFW after three rounds of review:
  // coverage 0.957 → 0.973 with the floor at a sixth instead of half, accuracy 0.979 → 0.979, ECE 0.008).
  const suggestions = suggestNames({
    evidence,
    faces,
    people: input.people,
    toDecide: input.toDecide,
    minQuality: params.fullEvidenceQuality / 6,
    minConfidence: params.suggestConfidence,
    pullSimilarity: params.linkageThreshold ?? decisionSimilarity(params.model, params.neighbourPriorSame),
    vectors: input.vectors,
    ...(input.namedSums ? { namedSums: input.namedSums } : {}),
    model: params.model,
  });
  return input.toDecide.map((faceId) => {
    const face = faces.get(faceId)!;
    const personId = assignment.get(faceId) ?? null;
    const suggestion = suggestions.get(faceId) ?? null;
    if (personId !== null) {
      const confidence = face.confirmed ? 1 : (bestPersonFor(evidence, faceId, personId)?.posterior ?? 0);
      return { faceId, personId, confidence, suggestion };
    }
    return { faceId, personId: null, confidence: null, suggestion };
  });
}

/** Whether `face` may found a group (ClusteringParams.foundingQuality). */
function mayFound(face: FaceRecord, params: ClusteringParams): boolean {
  if (face.resolution === null) return face.quality >= params.fullEvidenceQuality;
  return face.quality >= params.foundingQuality && face.resolution >= params.foundingResolution;
}

/** Groups of two or more free faces that average linkage puts together. */
function groupFreeFaces(input: ClusteringInput, params: ClusteringParams, isFree: (id: number) => boolean): number[][] {
  const free = input.toDecide.filter((id) => isFree(id) && input.vectors.has(id));
  const node = new Map(free.map((id, i) => [id, i]));
  // Typed from the start: at 100k faces a JS array of the 2.4M endpoints cost tens of MB of peak RSS.
  let edgeCount = 0;
  for (const id of free) edgeCount += input.neighbours.get(id)?.length ?? 0;
  const edges = new Int32Array(edgeCount * 2);
  let at = 0;
  free.forEach((id, i) => {
    for (const n of input.neighbours.get(id) ?? []) {
      const other = node.get(n.id);
      if (other !== undefined && n.id !== id) {
        edges[at++] = i;
        edges[at++] = other;
      }
    }
  });
  const label = averageLinkage(free.length, edges.subarray(0, at), {
    threshold: params.linkageThreshold ?? decisionSimilarity(params.model, params.neighbourPriorSame),
    vectors: free.map((id) => input.vectors.get(id)!),
    photoOf: free.map((id) => input.faces.get(id)!.photoId),
    excluded: (i) => !mayFound(input.faces.get(free[i]!)!, params),
  });
  const groups = new Map<number, number[]>();
  label.forEach((root, i) => {
    const group = groups.get(root);
    if (group) group.push(free[i]!);
    else groups.set(root, [free[i]!]);
  });
  return [...groups.values()].filter((group) => group.length >= 2);
}

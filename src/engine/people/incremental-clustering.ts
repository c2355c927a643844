import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../library/database';
import {
  allPeopleForClustering,
  allRejections,
  clusteredFaceIds,
  clusteringFaces,
  confirmedNamedFaces,
  faceModelIds,
  faceVectorDimensions,
  forgetAutomaticClusters,
  namedAutomaticFaceIds,
  namedPersonFaces,
  unclusteredFaceIds,
  unnamedClusterFaceIds,
  type SeenFace,
  writeFaceDecisions,
} from '../library/clustering-store';
import { FULL_EVIDENCE_QUALITY, MIN_FOUNDING_QUALITY, MIN_FOUNDING_RESOLUTION } from '../ml/faces/quality';
import type { Library } from '../library/library';
import { clusterFaces, type ClusteringParams, type FaceDecision } from './cluster-faces';
import type { FaceRecord, PersonRecord } from './face-records';
import type { DistanceModel } from './distance-model';
import { loadFaceVectors, row, type PackedVectors } from '../library/face-vectors';
import { libraryDistanceModel } from './library-distance-model';
import { GRAPH_FORMAT, NeighbourIndex, type Neighbour } from './neighbour-index';
import { rescoreNamedNeighbours } from './adapted-neighbours';
import { dropStaleAdapters, learnedAdapter, type LearnedAdapter } from './library-adapter';
import { peopleFile } from './people-files';
import { priorDistanceModel } from './priors';
import { SUGGESTIONS_STALE_KEY } from './suggestions-stale';
import type { PersonSum } from './suggestions';
import type { ConfirmedFaces } from './person-evidence';

export interface ClusteringOptions {
  /** Forget every automatic assignment of unnamed people and cluster all faces again. Names, confirmations and rejections stay. */
  full?: boolean;
  /** Replaces the manifest's priors (benchmarks, tests of other models). */
  priors?: DistanceModel;
  params?: Partial<Omit<ClusteringParams, 'model'>>;
  /** Neighbours per face. */
  neighbours?: number;
  /** Use (and retrain as evidence grows) the adapter learned from the user's corrections; default true. */
  learning?: boolean;
}

export interface ClusteringReport {
  models: string[];
  /** Faces whose person this run decided. */
  considered: number;
  assigned: number;
  newPeople: number;
  suggestions: number;
  unassigned: number;
  distanceModel: DistanceModel | null;
  /** What the adapter was trained on (null: not enough corrections yet, or learning off). */
  learned: LearnedAdapter['trainedOn'] | null;
  seconds: number;
}

/** Neighbours kept per face: enough to propose every merge and to vote, few enough to stay fast. */
export const NEIGHBOURS = 12;
/** Faces searched for their neighbours at once: large enough to keep every core busy in the graph. */
const SEARCH_SLICE = 8192;

/**
 * Defaults measured on ../shared (faces-celebs, faces-lfw-dev), expressed as probabilities of the
 * calibrated model rather than raw similarities, so they carry over to another embedder's priors.
 */
export const DEFAULT_PARAMS: Omit<ClusteringParams, 'model'> = {
  foundingQuality: MIN_FOUNDING_QUALITY,
  foundingResolution: MIN_FOUNDING_RESOLUTION,
  fullEvidenceQuality: FULL_EVIDENCE_QUALITY,
  joinConfidence: 0.6,
  nameConfidence: 0.9,
  // Low on purpose: the confidence is calibrated, so "Is this Alice? 15%" is an honest question, asked
  // after the clearer ones (the review queue orders by expected value). Measured on the hard set (tight
  // 60-120 px crops): coverage 0.91 at 0.3, 0.95 at 0.1, with ECE unchanged (0.06); LFW-dev 0.986 → 0.992.
  suggestConfidence: 0.1,
  neighbourPriorSame: 0.1,
};

/**
 * Called after every index run: decides the person of every face not yet clustered (faces.clustered_at
 * IS NULL), plus the unassigned faces near them, so a lone face becomes a person as soon as a second
 * photo of them arrives. Faces already clustered are not revisited, so no run undoes a user's names,
 * confirmations or rejections; large libraries keep their neighbour graph on disk between runs.
 */
export function runIncrementalClustering(library: Library, options: ClusteringOptions = {}): ClusteringReport {
  const started = performance.now();
  const db = library.db;
  if (options.full) forgetAutomaticClusters(db);
  const models = faceModelIds(db);
  const report: ClusteringReport = {
    models,
    considered: 0,
    assigned: 0,
    newPeople: 0,
    suggestions: 0,
    unassigned: 0,
    distanceModel: null,
    learned: null,
    seconds: 0,
  };
  if (!db.readonly) dropStaleAdapters(library, models);
  // Claimed before deciding, not cleared after: an edit made while this run works marks the
  // suggestions stale again, and that mark must survive for the next run.
  const suggestionsStale = library.getSetting(SUGGESTIONS_STALE_KEY) === '1';
  if (suggestionsStale) library.setSetting(SUGGESTIONS_STALE_KEY, '0');
  try {
    const params = { ...DEFAULT_PARAMS, ...options.params };
    for (const modelId of models) {
      const model = libraryDistanceModel(db, modelId, options.priors ?? priorDistanceModel(modelId), params.fullEvidenceQuality);
      report.distanceModel = model;
      const learned = options.learning === false ? null : learnedAdapter(library, modelId);
      report.learned = learned?.trainedOn ?? report.learned;
      const { decisions, seen } = clusterModel(
        library,
        modelId,
        { ...params, model, ...(learned ? { namedModel: learned.model } : {}) },
        { suggestionsStale, full: options.full === true, learned },
        options.neighbours,
      );
      const newPeople = writeFaceDecisions(db, decisions, seen);
      report.considered += decisions.length;
      report.newPeople += newPeople;
      for (const d of decisions) {
        if (d.suggestion?.personId != null) report.suggestions++;
        if (d.personId !== null) report.assigned++;
        else report.unassigned++;
      }
    }
  } catch (error) {
    if (suggestionsStale) library.setSetting(SUGGESTIONS_STALE_KEY, '1');
    throw error;
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

function clusterModel(
  library: Library,
  modelId: string,
  params: ClusteringParams,
  { suggestionsStale, full, learned }: { suggestionsStale: boolean; full: boolean; learned: LearnedAdapter | null },
  neighbourCount: number | undefined,
): { decisions: FaceDecision[]; seen: ReadonlyMap<number, SeenFace> } {
  const db = library.db;
  const faces = loadFaceRecords(db, modelId);
  const pending = unclusteredFaceIds(db, modelId);
  if (pending.length === 0 && !suggestionsStale) return { decisions: [], seen: faces };
  const free = [...faces.values()].filter((f) => f.personId === null).map((f) => f.id);
  const index = openNeighbourIndex(library, modelId, faces.size - pending.length, faces.size);
  const pendingVectors = loadFaceVectors(db, modelId, pending);
  index.add(pendingVectors.ids, pendingVectors.flat);
  saveNeighbourIndex(library, modelId, index);

  const k = neighbourCount ?? NEIGHBOURS;
  const neighbours = new Map<number, Neighbour[]>();
  const vectors = new Map<number, Float32Array>();
  const search = (packed: PackedVectors): void => {
    // In slices: the unfiltered lists of one slice are garbage before the next is searched.
    for (let from = 0; from < packed.ids.length; from += SEARCH_SLICE) {
      const to = Math.min(packed.ids.length, from + SEARCH_SLICE);
      const found = index.search(packed.flat.subarray(from * packed.dimensions, to * packed.dimensions), k);
      for (let i = from; i < to; i++) {
        const id = packed.ids[i]!;
        neighbours.set(
          id,
          found[i - from]!.filter((n) => faces.has(n.id)),
        );
        vectors.set(id, row(packed, i));
      }
    }
  };
  search(pendingVectors);
  // Unassigned faces near new ones are decided again (with their own neighbours), and all of them
  // when names changed, so suggestions follow the user's naming.
  const freeSet = new Set(free);
  // Faces of unnamed clusters the user has not confirmed: each cluster is asked "is this one of the named people?".
  const unnamedFaces = suggestionsStale ? unnamedClusterFaceIds(db, modelId) : [];
  // ...and the automatic faces of named people: a new confirmation may leave them weakly linked.
  const namedAutomatic = suggestionsStale ? namedAutomaticFaceIds(db, modelId) : [];
  const revisit = suggestionsStale
    ? [...free, ...unnamedFaces, ...namedAutomatic].filter((id) => !neighbours.has(id))
    : freeNeighboursOutside(neighbours, freeSet);
  search(loadFaceVectors(db, modelId, revisit));

  const people = new Map<number, PersonRecord>(
    allPeopleForClustering(db).map((p) => [p.id, { id: p.id, named: p.name !== null, birthDate: p.birthDate }]),
  );
  if (learned) {
    const namedFaces = new Set([...faces.values()].filter((f) => f.personId !== null && people.get(f.personId)?.named).map((f) => f.id));
    rescoreNamedNeighbours(db, modelId, learned, neighbours, vectors, namedFaces);
  }
  const rejections = new Map<number, Set<number>>();
  for (const r of allRejections(db)) {
    rejections.set(r.faceId, (rejections.get(r.faceId) ?? new Set()).add(r.personId));
  }
  // Read only when a cluster is asked about (a new cluster of an index run, or every cluster after an edit).
  let sums: Map<number, PersonSum> | undefined;
  const namedSums = (): Map<number, PersonSum> => (sums ??= namedPersonSums(db, modelId, faces));
  const confirmed = confirmedFaces(db, modelId, vectors);
  const decisions = clusterFaces(
    {
      faces,
      people,
      neighbours,
      rejections,
      vectors,
      toDecide: [...neighbours.keys()],
      groupFirst: full,
      namedSums,
      ...(confirmed ? { confirmed } : {}),
    },
    params,
  );
  return { decisions, seen: faces };
}

/**
 * The free faces among `neighbours`' lists that have no list of their own yet. A loop, not flat() and
 * map(): at 100k new faces those made two arrays of 1.2M entries, tens of MB of peak RSS for nothing.
 */
function freeNeighboursOutside(neighbours: Map<number, Neighbour[]>, free: Set<number>): number[] {
  const found = new Set<number>();
  for (const list of neighbours.values()) {
    for (const n of list) if (free.has(n.id) && !neighbours.has(n.id)) found.add(n.id);
  }
  return [...found];
}

/** Confirmed faces per named person that an automatic name is checked against (the newest). */
const MAX_CONFIRMED_PER_PERSON = 20;
const MAX_CONFIRMED = 20_000;

/** Each named person's newest confirmed faces, as unit vectors (none: no check, as before). */
function confirmedFaces(db: Db, modelId: string, vectors: Map<number, Float32Array>): ConfirmedFaces | undefined {
  const rows = confirmedNamedFaces(db, modelId, MAX_CONFIRMED);
  const kept = new Map<number, number[]>();
  for (const r of rows) {
    const ids = kept.get(r.person) ?? [];
    if (ids.length < MAX_CONFIRMED_PER_PERSON) kept.set(r.person, [...ids, r.id]);
  }
  if (kept.size === 0) return undefined;
  const personOf = new Map([...kept].flatMap(([person, ids]) => ids.map((id) => [id, person] as const)));
  const packed = loadFaceVectors(db, modelId, [...personOf.keys()]);
  const byPerson = new Map<number, Float32Array[]>();
  packed.ids.forEach((id, i) => {
    const person = personOf.get(id)!;
    byPerson.set(person, [...(byPerson.get(person) ?? []), row(packed, i)]);
  });
  return { byPerson, vectors };
}

/** Faces per named person summed for cluster questions: the confirmed ones first, then the most certain. */
const MAX_FACES_PER_NAMED_SUM = 100;

/** Each named person's faces (up to 100), summed, with the photos they are in. */
function namedPersonSums(db: Db, modelId: string, faces: Map<number, FaceRecord>): Map<number, PersonSum> {
  const rows = namedPersonFaces(db, modelId, MAX_FACES_PER_NAMED_SUM);
  const personOf = new Map(rows.map((r) => [r.id, r.personId]));
  const packed = loadFaceVectors(
    db,
    modelId,
    rows.map((r) => r.id),
  );
  const sums = new Map<number, { sum: Float32Array; count: number; photos: Set<number> }>();
  packed.ids.forEach((id, i) => {
    const personId = personOf.get(id)!;
    let person = sums.get(personId);
    if (!person) sums.set(personId, (person = { sum: new Float32Array(packed.dimensions), count: 0, photos: new Set() }));
    const v = row(packed, i);
    for (let d = 0; d < packed.dimensions; d++) person.sum[d]! += v[d]!;
    person.count++;
  });
  for (const face of faces.values()) if (face.personId !== null) sums.get(face.personId)?.photos.add(face.photoId);
  return sums;
}

function loadFaceRecords(db: Db, modelId: string): Map<number, FaceRecord> {
  const rows = clusteringFaces(db, modelId);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        photoId: r.photoId,
        quality: r.quality,
        resolution: r.resolution,
        personId: r.personId,
        confirmed: r.assignment === 'confirmed',
        takenAt: r.takenAt,
      },
    ]),
  );
}

const indexFile = (library: Library, modelId: string): string => peopleFile(library, modelId, `.${GRAPH_FORMAT}.usearch`);
const indexSizeKey = (modelId: string): string => `people.neighbourIndex.${modelId}`;

/**
 * The neighbour index of the faces clustered so far: loaded from disk when it holds exactly them
 * (a large library then only adds and searches its new faces), else rebuilt from the vectors.
 */
function openNeighbourIndex(library: Library, modelId: string, clusteredCount: number, totalCount: number): NeighbourIndex {
  const db = library.db;
  const dimensions = faceVectorDimensions(db, modelId);
  const saved =
    NeighbourIndex.forSize(dimensions ?? 1, totalCount).approximate && library.getSetting(indexSizeKey(modelId)) === String(clusteredCount);
  const loaded = saved ? NeighbourIndex.load(indexFile(library, modelId), dimensions!) : undefined;
  if (loaded && loaded.size === clusteredCount) return loaded;
  const clustered = clusteredFaceIds(db, modelId);
  const all = loadFaceVectors(db, modelId, clustered.length > clusteredCount / 2 ? undefined : clustered);
  const keep = new Set(clustered);
  const index = NeighbourIndex.forSize(all.dimensions || (dimensions ?? 1), totalCount);
  const rows = all.ids.map((id, i) => [id, i] as const).filter(([id]) => keep.has(id));
  const flat = new Float32Array(rows.length * all.dimensions);
  rows.forEach(([, i], j) => flat.set(all.flat.subarray(i * all.dimensions, (i + 1) * all.dimensions), j * all.dimensions));
  index.add(
    rows.map(([id]) => id),
    flat,
  );
  return index;
}

/**
 * Written to a temporary name and renamed, so a run killed while saving leaves the previous graph (or
 * none), never a torn one. The graph of an older format is removed: it would only take disk space.
 */
function saveNeighbourIndex(library: Library, modelId: string, index: NeighbourIndex): void {
  if (!index.approximate || library.db.readonly) return;
  const file = indexFile(library, modelId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  index.save(`${file}.tmp`);
  fs.renameSync(`${file}.tmp`, file);
  fs.rmSync(peopleFile(library, modelId, '.usearch'), { force: true });
  library.setSetting(indexSizeKey(modelId), String(index.size));
}

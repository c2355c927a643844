import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../library/database';
import { confirmedNamedFaces, evidenceCounts, faceModelIds, recentRejections } from '../library/clustering-store';
import { coPhotoFaceSample } from '../library/people-store';
import type { Library } from '../library/library';
import { adaptVectors, type AdapterTrainingSet, type AdapterWeights, trainAdapter } from './adapter';
import { type DistanceModel, fitGaussian } from './distance-model';
import { loadFaceVectors, type PackedVectors } from '../library/face-vectors';
import { peopleFile } from './people-files';

/**
 * What Facet learned from one library's corrections, for one embedding model: the adapter and the
 * p_same / p_diff of adapted similarities (fitted on photos the adapter did not train on, so the
 * confidence stays calibrated). Kept in `<library>/people/<model>.adapter.json`; deleting the file
 * rebuilds it from the same answers, `facet recluster --reset-learning` forgets it (only answers given
 * afterwards teach a new one), and it is dropped when no face of its model is left.
 */
export interface LearnedAdapter {
  modelId: string;
  /** The evidence it was trained on: retrained when this changes. */
  evidence: string;
  trainedOn: { faces: number; people: number; cannotLinks: number; seconds: number };
  adapter: AdapterWeights;
  model: DistanceModel;
}

const FILE_SUFFIX = '.adapter.json';
/** Learning starts once this many people have two confirmed faces (one face each teaches nothing to a margin loss). */
const MIN_PEOPLE = 2;
/** Held-out same-person pairs needed to fit p_same of adapted similarities. */
const MIN_HELD_OUT_SAME = 30;
/** Newest confirmed faces trained on: bounds training to seconds in a large library. */
const MAX_FACES = 3000;
const MAX_CANNOT_PHOTOS = 400;
const MAX_DIFF_PAIRS = 20_000;
/** Faces good enough for a cannot-link (the quality that founds a cluster). */
const CANNOT_LINK_QUALITY = 0.3;

/** Left by `resetLearning`: the evidence the user asked Facet to forget. */
const forgottenSchema = z.object({ modelId: z.string(), forgottenEvidence: z.string() });

const fileSchema = z.object({
  modelId: z.string(),
  evidence: z.string(),
  trainedOn: z.object({ faces: z.number(), people: z.number(), cannotLinks: z.number(), seconds: z.number() }),
  dimensions: z.number().int().positive(),
  weights: z.string(),
  model: z.object({
    same: z.object({ mean: z.number(), std: z.number() }),
    diff: z.object({ mean: z.number(), std: z.number() }),
    source: z.enum(['prior', 'library']),
    samePairs: z.number(),
    diffPairs: z.number(),
  }),
});

export const adapterFile = (library: Library, modelId: string): string => peopleFile(library, modelId, FILE_SUFFIX);

/** Removes the adapter file of one model. */
function removeAdapter(library: Library, modelId: string): void {
  fs.rmSync(adapterFile(library, modelId), { force: true });
}

/**
 * The user's "forget what you learned": each model's adapter is replaced by a marker of the evidence
 * it had, so nothing is learned from those answers again; answers given afterwards start a new adapter.
 */
export function resetLearning(library: Library): void {
  const models = faceModelIds(library.db);
  for (const modelId of models) {
    const file = adapterFile(library, modelId);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ modelId, forgottenEvidence: evidenceKey(library.db, modelId) }));
    fs.renameSync(`${file}.tmp`, file);
  }
}

/** Drops the adapters of embedding models the library no longer has faces of (the model changed). */
export function dropStaleAdapters(library: Library, models: readonly string[]): void {
  const dir = path.join(library.paths.root, 'people');
  if (!fs.existsSync(dir)) return;
  const keep = new Set(models.map((m) => path.basename(adapterFile(library, m))));
  for (const file of fs.readdirSync(dir))
    if (file.endsWith(FILE_SUFFIX) && !keep.has(file)) fs.rmSync(path.join(dir, file), { force: true });
}

/** A fingerprint of the user's evidence: `confirmed count:checksum:rejected count:checksum`. */
function evidenceKey(db: Db, modelId: string): string {
  const { confirmed, rejected } = evidenceCounts(db, modelId);
  return `${confirmed.n}:${confirmed.s}:${rejected.n}:${rejected.s}`;
}

/**
 * The library's adapter for a model: read from its file when the evidence has not changed since,
 * else retrained (seconds) and saved. Null while there is too little evidence to learn from.
 */
export function learnedAdapter(library: Library, modelId: string): LearnedAdapter | null {
  const db = library.db;
  const evidence = evidenceKey(db, modelId);
  const saved = readAdapter(library, modelId);
  if (saved && !grewEnough(saved.evidence, evidence)) return saved;
  if (forgottenEvidence(library, modelId) === evidence) return null;
  // No confirmations to speak of (a new library, the 100k benchmark): no query or training at all.
  const learned = Number(evidence.split(':')[0]) >= MIN_PEOPLE * 2 ? trainLibraryAdapter(db, modelId, evidence) : null;
  if (db.readonly) return learned;
  if (learned) writeAdapter(library, learned);
  else if (saved) removeAdapter(library, modelId);
  return learned;
}

/** The file's JSON, or undefined when it is missing or damaged (then it is simply learned again). */
function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function forgottenEvidence(library: Library, modelId: string): string | undefined {
  const parsed = forgottenSchema.safeParse(readJson(adapterFile(library, modelId)));
  return parsed.success && parsed.data.modelId === modelId ? parsed.data.forgottenEvidence : undefined;
}

/**
 * Retrain once the answers changed by 3, or by a tenth of what it was trained on: one more answer
 * barely moves a trained map, and the review flow must update its suggestions within a second. A
 * slightly older adapter is safe: confirmations and rejections are enforced after it, always.
 */
function grewEnough(trainedOn: string, now: string): boolean {
  if (trainedOn === now) return false;
  const [confirmedThen = 0, , rejectedThen = 0] = trainedOn.split(':').map(Number);
  const [confirmedNow = 0, , rejectedNow = 0] = now.split(':').map(Number);
  const change = Math.abs(confirmedNow - confirmedThen) + Math.abs(rejectedNow - rejectedThen);
  return change === 0 || change >= Math.max(3, 0.1 * (confirmedThen + rejectedThen));
}

function readAdapter(library: Library, modelId: string): LearnedAdapter | null {
  const parsed = fileSchema.safeParse(readJson(adapterFile(library, modelId)));
  if (!parsed.success || parsed.data.modelId !== modelId) return null; // damaged or foreign: retrained
  const bytes = Buffer.from(parsed.data.weights, 'base64');
  const weights = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
  if (weights.length !== parsed.data.dimensions ** 2) return null;
  return {
    modelId,
    evidence: parsed.data.evidence,
    trainedOn: parsed.data.trainedOn,
    adapter: { dimensions: parsed.data.dimensions, weights },
    model: parsed.data.model,
  };
}

function writeAdapter(library: Library, learned: LearnedAdapter): void {
  const file = adapterFile(library, learned.modelId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { adapter, ...rest } = learned;
  const weights = Buffer.from(adapter.weights.buffer, adapter.weights.byteOffset, adapter.weights.byteLength).toString('base64');
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ ...rest, dimensions: adapter.dimensions, weights }));
  fs.renameSync(`${file}.tmp`, file);
}

interface Confirmed {
  id: number;
  person: number;
}

/**
 * Trains on every named person with two or more confirmed faces. p_same / p_diff of adapted
 * similarities come from a second adapter trained on half of each person's faces and scored on the
 * other half: similarities of photos the adapter never saw, as new photos will be.
 */
function trainLibraryAdapter(db: Db, modelId: string, evidence: string): LearnedAdapter | null {
  const started = performance.now();
  const rows: Confirmed[] = confirmedNamedFaces(db, modelId, MAX_FACES);
  const byPerson = new Map<number, Confirmed[]>();
  for (const r of rows) byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), r]);
  const people = [...byPerson.values()].filter((faces) => faces.length >= 2);
  if (people.length < MIN_PEOPLE) return null;
  const confirmed = people.flat();
  const cannot = cannotLinks(db, modelId, byPerson);
  const vectors = loadFaceVectors(db, modelId, [...new Set([...confirmed.map((c) => c.id), ...cannot.faces])]);
  const at = new Map(vectors.ids.map((id, i) => [id, i]));
  const pick = (ids: readonly number[]): Float32Array => {
    const out = new Float32Array(ids.length * vectors.dimensions);
    ids.forEach((id, i) =>
      out.set(vectors.flat.subarray(at.get(id)! * vectors.dimensions, (at.get(id)! + 1) * vectors.dimensions), i * vectors.dimensions),
    );
    return out;
  };
  const cannotVectors = pick(cannot.faces);
  const cannotIndex = new Map(cannot.faces.map((id, i) => [id, i]));
  const cannotPairs = Int32Array.from(cannot.pairs.flatMap(([a, b]) => [cannotIndex.get(a)!, cannotIndex.get(b)!]));
  const set = (faces: Confirmed[][]): AdapterTrainingSet => ({
    dimensions: vectors.dimensions,
    vectors: pick(faces.flat().map((f) => f.id)),
    labels: Int32Array.from(faces.flatMap((list, k) => list.map(() => k))),
    people: faces.length,
    cannotVectors,
    cannotPairs,
  });

  const train = people.map((faces) => faces.filter((_, i) => i % 2 === 0));
  const heldOut = people.map((faces) => faces.filter((_, i) => i % 2 === 1));
  const model = heldOutModel(trainAdapter(set(train)), pick, train, heldOut);
  if (!model) return null;
  const adapter = trainAdapter(set(people));
  return {
    modelId,
    evidence,
    trainedOn: {
      faces: confirmed.length,
      people: people.length,
      cannotLinks: cannot.pairs.length,
      seconds: (performance.now() - started) / 1000,
    },
    adapter: { dimensions: adapter.dimensions, weights: adapter.weights },
    model,
  };
}

/** Adapted similarities of held-out faces to the trained faces: same person → p_same, others → p_diff. */
function heldOutModel(
  adapter: AdapterWeights,
  pick: (ids: readonly number[]) => Float32Array,
  train: Confirmed[][],
  heldOut: Confirmed[][],
): DistanceModel | null {
  const d = adapter.dimensions;
  const a = adaptVectors(adapter, pick(train.flat().map((f) => f.id)));
  const b = adaptVectors(adapter, pick(heldOut.flat().map((f) => f.id)));
  const aPerson = train.flatMap((list, k) => list.map(() => k));
  const bPerson = heldOut.flatMap((list, k) => list.map(() => k));
  const same: number[] = [];
  const diff: number[] = [];
  const stride = Math.max(1, Math.floor((aPerson.length * bPerson.length) / MAX_DIFF_PAIRS));
  let seen = 0;
  for (let i = 0; i < bPerson.length; i++) {
    for (let j = 0; j < aPerson.length; j++) {
      const isSame = bPerson[i] === aPerson[j];
      if (!isSame && seen++ % stride !== 0) continue;
      let s = 0;
      for (let x = 0; x < d; x++) s += b[i * d + x]! * a[j * d + x]!;
      (isSame ? same : diff).push(s);
    }
  }
  if (same.length < MIN_HELD_OUT_SAME) return null;
  return { same: fitGaussian(same), diff: fitGaussian(diff), source: 'library', samePairs: same.length, diffPairs: diff.length };
}

/**
 * Pairs known to be two people: good faces of one photo, and each rejected face with (up to three of)
 * the confirmed faces of the person it was rejected from.
 */
function cannotLinks(db: Db, modelId: string, byPerson: Map<number, Confirmed[]>): { faces: number[]; pairs: [number, number][] } {
  const coPhoto = coPhotoFaceSample(db, modelId, CANNOT_LINK_QUALITY, MAX_CANNOT_PHOTOS);
  const pairs: [number, number][] = [];
  for (let i = 0; i < coPhoto.length; i++) {
    for (let j = i + 1; j < coPhoto.length && coPhoto[j]!.photoId === coPhoto[i]!.photoId; j++)
      pairs.push([coPhoto[i]!.id, coPhoto[j]!.id]);
  }
  const rejections = recentRejections(db, modelId, MAX_FACES);
  for (const r of rejections) for (const c of (byPerson.get(r.personId) ?? []).slice(0, 3)) pairs.push([r.faceId, c.id]);
  return { faces: [...new Set(pairs.flat())], pairs };
}

/** Adapted vectors of some faces, by id (rows of `vectors`). */
export function adaptedById(learned: LearnedAdapter, vectors: PackedVectors): Map<number, Float32Array> {
  const adapted = adaptVectors(learned.adapter, vectors.flat);
  const d = vectors.dimensions;
  return new Map(vectors.ids.map((id, i) => [id, adapted.subarray(i * d, (i + 1) * d)]));
}

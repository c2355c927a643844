/**
 * Does a neighbourhood-aware similarity found better clusters? Average linkage over
 * λ·cosine + (1 − λ)·k-reciprocal Jaccard similarity (k-reciprocal.ts), with the linkage line taken
 * from p_same / p_diff *fitted on the blended measure* (never a rescaled cosine line): the priors on
 * faces-lfw-dev + faces-celebs (centred faces, every same pair, every 20th different pair, as the
 * manifest's), refitted per set on its cannot-link pairs as a library does. Free faces then join with
 * the cosine evidence (as production). λ = 1 is production's clustering re-implemented on dense
 * matrices (it reproduces `flow.ts --cluster-only` within 0.002 F1). Prints BCubed F1 of all four sets.
 * Run: npx vite-node bench/people/neighbourhood-linkage.ts -- <cacheDir> [--k1=12] [--k2=3] [--lambda=1,0.95,0.9]
 */
import fs from 'node:fs';
import path from 'node:path';
import { bcubed } from './bcubed';
import type { CachedFace } from './embed-sets';
import { cosineMatrix, kReciprocalSimilarity, nearest } from './k-reciprocal';
import {
  decisionSimilarity,
  fitGaussian,
  logLikelihoodRatio,
  refitDistanceModel,
  type DistanceModel,
} from '../../src/engine/people/distance-model';
import { priorDistanceModel } from '../../src/engine/people/priors';
import { DEFAULT_PARAMS, NEIGHBOURS } from '../../src/engine/people/incremental-clustering';

const args = process.argv.slice(2).filter((a) => a !== '--');
const option = (name: string, fallback: string): string => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const cacheDir = args[0] ?? '/tmp/facet-learning-cache';
const k1 = Number(option('k1', '12'));
const k2 = Number(option('k2', '3'));
const lambdas = option('lambda', '1,0.95,0.9').split(',').map(Number);
const SETS = ['hard-lfw', 'lfw', 'hard-celebs', 'celebs'];
const { foundingQuality, fullEvidenceQuality, joinConfidence, neighbourPriorSame } = DEFAULT_PARAMS;

interface LoadedSet {
  faces: CachedFace[];
  n: number;
  cosine: Float32Array;
  neighbourhood: Float32Array;
  knn: Int32Array[];
}

function loadSet(set: string): LoadedSet {
  const faces = JSON.parse(fs.readFileSync(path.join(cacheDir, `${set}.json`), 'utf8')) as CachedFace[];
  const vectors = faces.map((f) => {
    const v = Float32Array.from(f.embedding, (x, i) => x + f.mirror[i]!);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
  const n = faces.length;
  const cosine = cosineMatrix(vectors);
  return { faces, n, cosine, neighbourhood: kReciprocalSimilarity(cosine, n, k1, k2), knn: nearest(cosine, n, NEIGHBOURS) };
}

const blend = (s: LoadedSet, lambda: number): Float32Array => s.cosine.map((c, i) => lambda * c + (1 - lambda) * s.neighbourhood[i]!);

/** Normal fits of the blended similarity of labelled centred faces, as the manifest's priors are measured. */
function blendedPriors(sets: LoadedSet[], lambda: number): DistanceModel {
  const same: number[] = [];
  const diff: number[] = [];
  for (const s of sets) {
    const m = blend(s, lambda);
    const ids = s.faces.flatMap((f, i) => (f.identity && f.centred ? [i] : []));
    let count = 0;
    for (let a = 0; a < ids.length; a++) {
      for (let b = a + 1; b < ids.length; b++) {
        const [i, j] = [ids[a]!, ids[b]!];
        if (s.faces[i]!.identity === s.faces[j]!.identity) same.push(m[i * s.n + j]!);
        else if (count++ % 20 === 0) diff.push(m[i * s.n + j]!);
      }
    }
  }
  return { same: fitGaussian(same), diff: fitGaussian(diff), source: 'prior', samePairs: same.length, diffPairs: diff.length };
}

/** p_diff refitted on two good faces of one photo (up to 300 faces), as libraryDistanceModel does. */
function libraryModel(s: LoadedSet, m: Float32Array, prior: DistanceModel): DistanceModel {
  const byPhoto = new Map<string, number[]>();
  s.faces.forEach((f, i) => f.quality >= fullEvidenceQuality && byPhoto.set(f.photo, [...(byPhoto.get(f.photo) ?? []), i]));
  const diff: number[] = [];
  let used = 0;
  for (const ids of byPhoto.values()) {
    if (ids.length < 2 || used >= 300) continue;
    used += ids.length;
    ids.forEach((i, a) => ids.slice(a + 1).forEach((j) => diff.push(m[i * s.n + j]!)));
  }
  return refitDistanceModel(prior, [], diff);
}

/** Average linkage over a dense similarity (overwritten with group sums), kNN-proposed, cannot-link, quality-gated. */
function averageLinkage(s: LoadedSet, m: Float32Array, threshold: number): (number | null)[] {
  const { n, faces } = s;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const members = Array.from({ length: n }, (_, i) => [i]);
  const photos = faces.map((f) => new Set([f.photo]));
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  const link = (a: number, b: number): number => {
    const [row, cols] = members[a]!.length >= members[b]!.length ? [a, members[b]!] : [b, members[a]!];
    return cols.reduce((sum, j) => sum + m[row * n + j]!, 0) / (members[a]!.length * members[b]!.length);
  };
  const good = (i: number): boolean => faces[i]!.quality >= foundingQuality;
  const pairs = s.knn.flatMap((row, i) => (good(i) ? [...row].filter(good).map((j) => [i, j] as const) : []));
  for (;;) {
    const candidates = pairs
      .map(([i, j]) => [find(i), find(j)] as const)
      .filter(([a, b]) => a !== b && ![...photos[a]!].some((p) => photos[b]!.has(p)))
      .map(([a, b]) => ({ a, b, link: link(a, b) }))
      .filter((c) => c.link >= threshold)
      .sort((x, y) => y.link - x.link);
    if (candidates.length === 0) break;
    for (const c of candidates) {
      let [a, b] = [find(c.a), find(c.b)];
      if (a === b || link(a, b) < threshold || [...photos[a]!].some((p) => photos[b]!.has(p))) continue;
      if (members[a]!.length < members[b]!.length) [a, b] = [b, a];
      parent[b] = a;
      for (let t = 0; t < n; t++) m[a * n + t]! += m[b * n + t]!;
      members[a]!.push(...members[b]!);
      photos[b]!.forEach((p) => photos[a]!.add(p));
    }
  }
  const label = Array.from({ length: n }, (_, i) => find(i));
  return label.map((l) => (members[l]!.length >= 2 ? l : null));
}

/** Free faces join the group their neighbours vote for (mean top-3 cosine, Bayes rule with open set), best quality first. */
function attachFreeFaces(s: LoadedSet, label: (number | null)[], model: DistanceModel): void {
  const photosOf = new Map<number, Set<string>>();
  label.forEach((l, i) => l !== null && photosOf.set(l, (photosOf.get(l) ?? new Set()).add(s.faces[i]!.photo)));
  const order = [...label.keys()].sort((a, b) => s.faces[b]!.quality - s.faces[a]!.quality);
  for (const i of order) {
    if (label[i] !== null) continue;
    const sims = new Map<number, number[]>();
    for (const j of s.knn[i]!) {
      const l = label[j];
      if (l != null && !photosOf.get(l)!.has(s.faces[i]!.photo)) sims.set(l, [...(sims.get(l) ?? []), s.cosine[i * s.n + j]!]);
    }
    const weight = Math.min(1, s.faces[i]!.quality / fullEvidenceQuality);
    const llrs = [...sims].map(([l, v]) => {
      const top = v.sort((a, b) => b - a).slice(0, 3);
      return { l, llr: logLikelihoodRatio(model, top.reduce((a, b) => a + b, 0) / top.length, weight) };
    });
    if (llrs.length === 0) continue;
    const best = llrs.reduce((x, y) => (y.llr > x.llr ? y : x));
    const total = 1 + llrs.reduce((sum, x) => sum + Math.exp(x.llr), 0);
    if (Math.exp(best.llr) / total >= joinConfidence) {
      label[i] = best.l;
      photosOf.get(best.l)!.add(s.faces[i]!.photo);
    }
  }
}

const loaded = new Map(SETS.map((set) => [set, loadSet(set)]));
const cosinePrior = priorDistanceModel('mobilefacenet-128');
const r = (x: number): string => x.toFixed(3);
for (const lambda of lambdas) {
  const prior = lambda === 1 ? cosinePrior : blendedPriors([loaded.get('lfw')!, loaded.get('celebs')!], lambda);
  const scores = SETS.map((set) => {
    const s = loaded.get(set)!;
    const m = blend(s, lambda);
    const line = decisionSimilarity(libraryModel(s, m, prior), neighbourPriorSame);
    const label = averageLinkage(s, m, line);
    attachFreeFaces(s, label, libraryModel(s, s.cosine, cosinePrior));
    const labelled = s.faces.flatMap((f, i) => (f.identity ? [i] : []));
    const score = bcubed(
      labelled.map((i) => s.faces[i]!.identity!),
      labelled.map((i) => label[i]!),
    );
    return `${set} ${r(score.f1)} (${r(score.precision)}/${r(score.recall)}) line ${r(line)}`;
  });
  const { same, diff } = prior;
  console.log(
    `k1=${k1} k2=${k2} λ=${lambda} p_same ${r(same.mean)}±${r(same.std)} p_diff ${r(diff.mean)}±${r(diff.std)} | ${scores.join(' | ')}`,
  );
}

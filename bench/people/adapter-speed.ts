/**
 * How long the per-library adapter takes to train, at the sizes a library reaches: `people` named
 * people with `faces` confirmed faces each (from the cached LFW embeddings, bench/people/embed-sets.ts)
 * and the cannot-links of up to 400 multi-face photos, trained twice as library-adapter.ts does (on
 * half of each person's faces for calibration, then on all). Also prints the held-out nearest-person
 * accuracy, so a faster training can be checked to learn as much.
 * Run: npx vite-node bench/people/adapter-speed.ts -- [--people=100] [--faces=2] [--set=lfw]
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  adaptVectors,
  DEFAULT_ADAPTER_OPTIONS,
  trainAdapter,
  type AdapterTrainingSet,
  type AdapterWeights,
} from '../../src/engine/people/adapter';
import type { CachedFace } from './embed-sets';

const args = process.argv.slice(2).filter((a) => a !== '--');
const opt = (name: string, fallback: string): string => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const peopleCount = Number(opt('people', '100'));
const perPerson = Number(opt('faces', '2'));
const cacheDir = process.env.FACET_LEARNING_CACHE ?? '/tmp/facet-learning-cache';
const all = JSON.parse(fs.readFileSync(path.join(cacheDir, `${opt('set', 'lfw')}.json`), 'utf8')) as CachedFace[];
const d = 128;
const unit = (f: CachedFace): Float32Array => {
  const v = f.embedding.map((x, i) => x + f.mirror[i]!);
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};
const pack = (faces: readonly CachedFace[]): Float32Array => {
  const out = new Float32Array(faces.length * d);
  faces.forEach((f, i) => out.set(unit(f), i * d));
  return out;
};
const byPerson = new Map<string, CachedFace[]>();
for (const f of all) if (f.identity) byPerson.set(f.identity, [...(byPerson.get(f.identity) ?? []), f]);
const people = [...byPerson.values()].filter((faces) => faces.length > perPerson).slice(0, peopleCount);
const byPhoto = new Map<string, CachedFace[]>();
for (const f of all) if (f.quality >= 0.3) byPhoto.set(f.photo, [...(byPhoto.get(f.photo) ?? []), f]);
const groups = [...byPhoto.values()].filter((g) => g.length > 1).slice(0, 400);
const cannotFaces = groups.flat();
const cannotPairs: number[] = [];
let at = 0;
for (const g of groups) {
  for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) cannotPairs.push(at + i, at + j);
  at += g.length;
}
const set = (faces: CachedFace[][]): AdapterTrainingSet => ({
  dimensions: d,
  vectors: pack(faces.flat()),
  labels: Int32Array.from(faces.flatMap((list, k) => list.map(() => k))),
  people: faces.length,
  cannotVectors: pack(cannotFaces),
  cannotPairs: Int32Array.from(cannotPairs),
});
const options = {
  ...DEFAULT_ADAPTER_OPTIONS,
  epochs: Number(opt('epochs', String(DEFAULT_ADAPTER_OPTIONS.epochs))),
  learningRate: Number(opt('lr', String(DEFAULT_ADAPTER_OPTIONS.learningRate))),
};
const confirmed = people.map((faces) => faces.slice(0, perPerson));
const started = performance.now();
const half = trainAdapter(set(confirmed.map((faces) => faces.filter((_, i) => i % 2 === 0))), options);
const full = trainAdapter(set(confirmed), options);
const seconds = (performance.now() - started) / 1000;

/** Nearest confirmed person of every other photo of these people. */
function heldOutTop1(adapter: AdapterWeights | null): number {
  const train = pack(confirmed.flat());
  const labels = confirmed.flatMap((list, k) => list.map(() => k));
  const test = people.flatMap((faces, k) => faces.slice(perPerson).map((f) => ({ f, k })));
  const a = adapter ? adaptVectors(adapter, train) : train;
  const b = adapter ? adaptVectors(adapter, pack(test.map((t) => t.f))) : pack(test.map((t) => t.f));
  let right = 0;
  test.forEach((t, i) => {
    let best = -2;
    let arg = -1;
    for (let j = 0; j < labels.length; j++) {
      let s = 0;
      for (let x = 0; x < d; x++) s += b[i * d + x]! * a[j * d + x]!;
      if (s > best) [best, arg] = [s, labels[j]!];
    }
    if (arg === t.k) right++;
  });
  return right / Math.max(1, test.length);
}
console.log(
  `${opt('set', 'lfw')}: people=${people.length} faces=${confirmed.flat().length} cannotPairs=${cannotPairs.length / 2} train(half+full)=${seconds.toFixed(2)} s epochs=${half.losses.length}+${full.losses.length} loss ${full.losses[0]!.toFixed(3)}→${full.losses.at(-1)!.toFixed(3)} top1 raw ${heldOutTop1(null).toFixed(4)} adapted ${heldOutTop1(full).toFixed(4)}`,
);

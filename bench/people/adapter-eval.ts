/**
 * Does the per-library adapter separate a user's people better than the frozen embeddings? Confirm
 * the first r photos of each person (training), then score every other photo of them (held out):
 * nearest-person accuracy and the separation d' of held-out same/different pairs against the
 * confirmed faces, raw and adapted. Run: npx vite-node bench/people/adapter-eval.ts -- lfw [--tta] [--r=1,3,5] [--margin=0.3]
 */
import fs from 'node:fs';
import path from 'node:path';
import { adaptVectors, DEFAULT_ADAPTER_OPTIONS, trainAdapter, type AdapterWeights } from '../../src/engine/people/adapter';
import { fitGaussian } from '../../src/engine/people/distance-model';
import type { CachedFace } from './embed-sets';

const args = process.argv.slice(2).filter((a) => a !== '--');
const opt = (name: string, fallback: string): string => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const tta = args.includes('--tta');
const rs = opt('r', '1,3,5').split(',').map(Number);
const options = {
  ...DEFAULT_ADAPTER_OPTIONS,
  margin: Number(opt('margin', '0.3')),
  identityPenalty: Number(opt('lambda', '0.5')),
  epochs: Number(opt('epochs', '60')),
  learningRate: Number(opt('lr', String(DEFAULT_ADAPTER_OPTIONS.learningRate))),
  scale: Number(opt('scale', '16')),
};
const all = (args[0] ?? 'lfw')
  .split('+')
  .flatMap((s) => JSON.parse(fs.readFileSync(path.join('/tmp/facet-learning-cache', `${s}.json`), 'utf8')) as CachedFace[]);
const d = 128;
const unit = (f: CachedFace): Float32Array => {
  const v = tta ? f.embedding.map((x, i) => x + f.mirror[i]!) : f.embedding;
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};
const pack = (fs_: CachedFace[]): Float32Array => {
  const out = new Float32Array(fs_.length * d);
  fs_.forEach((f, i) => out.set(unit(f), i * d));
  return out;
};
const labelled = all.filter((f) => f.identity);
const byPerson = new Map<string, CachedFace[]>();
for (const f of labelled) byPerson.set(f.identity!, [...(byPerson.get(f.identity!) ?? []), f]);
// Cannot-links: good faces sharing a photo.
const byPhoto = new Map<string, CachedFace[]>();
for (const f of all) if (f.quality >= 0.3) byPhoto.set(f.photo, [...(byPhoto.get(f.photo) ?? []), f]);
const cannotFaces = [...byPhoto.values()].filter((g) => g.length > 1).flat();
const cannotIndex = new Map(cannotFaces.map((f, i) => [f, i]));
const cannotPairs: number[] = [];
for (const g of byPhoto.values())
  for (let i = 0; i < g.length; i++)
    for (let j = i + 1; j < g.length; j++) cannotPairs.push(cannotIndex.get(g[i]!)!, cannotIndex.get(g[j]!)!);

for (const r of rs) {
  const people = [...byPerson].filter(([, faces]) => faces.length > r);
  const names = people.map(([n]) => n);
  const train = people.flatMap(([, faces]) => faces.slice(0, r));
  const trainLabels = Int32Array.from(people.flatMap(([, faces], k) => faces.slice(0, r).map(() => k)));
  const test = people.flatMap(([, faces], k) => faces.slice(r).map((f) => ({ f, k })));
  const started = performance.now();
  const adapter = trainAdapter(
    {
      dimensions: d,
      vectors: pack(train),
      labels: trainLabels,
      people: names.length,
      cannotVectors: pack(cannotFaces),
      cannotPairs: Int32Array.from(cannotPairs),
    },
    options,
  );
  const seconds = (performance.now() - started) / 1000;
  const score = (a: AdapterWeights | null): string => {
    const tr = a ? adaptVectors(a, pack(train)) : pack(train);
    const te = a ? adaptVectors(a, pack(test.map((t) => t.f))) : pack(test.map((t) => t.f));
    let right = 0;
    const same: number[] = [];
    const diff: number[] = [];
    test.forEach((t, i) => {
      const best = new Float64Array(names.length).fill(-2);
      for (let j = 0; j < train.length; j++) {
        let s = 0;
        for (let x = 0; x < d; x++) s += te[i * d + x]! * tr[j * d + x]!;
        const k = trainLabels[j]!;
        if (s > best[k]!) best[k] = s;
        if (k === t.k) same.push(s);
        else if ((i + j) % 13 === 0) diff.push(s);
      }
      let arg = 0;
      for (let k = 1; k < names.length; k++) if (best[k]! > best[arg]!) arg = k;
      if (arg === t.k) right++;
    });
    const s = fitGaussian(same);
    const df = fitGaussian(diff);
    const dprime = (s.mean - df.mean) / Math.sqrt((s.std ** 2 + df.std ** 2) / 2);
    return `top1 ${(right / test.length).toFixed(4)} d' ${dprime.toFixed(3)} same ${s.mean.toFixed(3)}±${s.std.toFixed(3)} diff ${df.mean.toFixed(3)}±${df.std.toFixed(3)}`;
  };
  console.log(
    `${args[0]}${tta ? ' tta' : ''} r=${r} people=${names.length} train=${train.length} test=${test.length} m=${options.margin} λ=${options.identityPenalty} train ${seconds.toFixed(1)} s loss ${adapter.losses[0]!.toFixed(3)}→${adapter.losses.at(-1)!.toFixed(3)}`,
  );
  console.log(`  raw     ${score(null)}`);
  console.log(`  adapted ${score(adapter)}`);
}

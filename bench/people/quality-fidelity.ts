/**
 * Does face quality predict how much a degraded face's embedding drifted? For every hard-set face, the
 * cosine similarity of its embedding to the same photo's original face (bench/people/embed-variants.ts
 * cache), against each quality candidate: Spearman rank correlation, and the mean drift in the worst
 * and best quality quarters. A quality that sees what hurts the embedder ranks drifted faces low.
 * Run: npx vite-node bench/people/quality-fidelity.ts -- <variantDir> [celebs,lfw]
 */
import fs from 'node:fs';
import path from 'node:path';
import type { VariantFace } from './embed-variants';
import { degradationFor } from './hard-set';

const args = process.argv.slice(2).filter((a) => a !== '--');
const dir = args[0] ?? '/tmp/facet-peoplef1-variants/plain';
const sets = (args[1] ?? 'celebs,lfw').split(',');

const ramp = (v: number, lo: number, hi: number): number => Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
const unit = (f: VariantFace): number[] => {
  const v = f.embedding.map((x, i) => x + f.mirror[i]!);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
/** Candidates: the shipped quality and blocking-aware variants (factor on the old product). */
const candidates: Record<string, (f: VariantFace) => number> = {
  shipped: (f) => f.quality,
  blocking: (f) => -f.blocking,
  sharpness: (f) => f.sharpnessLog,
  'shipped×(1-ramp(b,.2,.6))': (f) => f.quality * (1 - ramp(f.blocking, 0.2, 0.6)),
  'shipped×(1-ramp(b,.25,.8))': (f) => f.quality * (1 - ramp(f.blocking, 0.25, 0.8)),
  'shipped×(1-.7ramp(b,.2,.6))': (f) => f.quality * (1 - 0.7 * ramp(f.blocking, 0.2, 0.6)),
  // What was done to the photo (known only here): which degradation the embedder suffers from.
  'oracle: -blur sigma': (f) => -degradationFor(f.photo.replace(/^hard\//, '')).blur,
  'oracle: jpeg quality': (f) => degradationFor(f.photo.replace(/^hard\//, '')).jpegQuality,
  'oracle: crop size': (f) => degradationFor(f.photo.replace(/^hard\//, '')).size,
  'size (px)': (f) => f.size,
  'sharp-corrected': (f) =>
    f.quality *
    Math.min(1, ramp(f.sharpnessLog - 1.5 * Math.max(0, f.blocking - 0.15), 0.7, 1.9) / Math.max(1e-3, ramp(f.sharpnessLog, 0.7, 1.9))),
};

function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(values.length);
  order.forEach(([, i], k) => (r[i] = k));
  return r;
}
function spearman(a: number[], b: number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const m = (ra.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  ra.forEach((x, i) => {
    num += (x - m) * (rb[i]! - m);
    da += (x - m) ** 2;
    db += (rb[i]! - m) ** 2;
  });
  return num / Math.sqrt(da * db);
}

const pairs: { hard: VariantFace; fidelity: number }[] = [];
for (const set of sets) {
  const load = (name: string): VariantFace[] => JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as VariantFace[];
  const originals = new Map(
    load(set)
      .filter((f) => f.centred)
      .map((f) => [f.photo, unit(f)]),
  );
  for (const hard of load(`hard-${set}`).filter((f) => f.centred)) {
    const original = originals.get(hard.photo.replace(/^hard\//, ''));
    if (!original) continue;
    const h = unit(hard);
    pairs.push({ hard, fidelity: h.reduce((s, x, i) => s + x * original[i]!, 0) });
  }
}
const fidelity = pairs.map((p) => p.fidelity);
console.log(
  `${pairs.length} hard faces; similarity to their original: mean ${(fidelity.reduce((s, x) => s + x, 0) / pairs.length).toFixed(3)}`,
);
for (const [name, quality] of Object.entries(candidates)) {
  const q = pairs.map((p) => quality(p.hard));
  const sorted = pairs.map((p, i) => [q[i]!, p.fidelity] as const).sort((a, b) => a[0] - b[0]);
  const quarter = Math.floor(sorted.length / 4);
  const mean = (xs: (readonly [number, number])[]): string => (xs.reduce((s, x) => s + x[1], 0) / xs.length).toFixed(3);
  const below03 = sorted.filter(([v]) => v < 0.3);
  console.log(
    `${name.padEnd(30)} spearman ${spearman(q, fidelity).toFixed(3)}  worst quarter ${mean(sorted.slice(0, quarter))}  best quarter ${mean(sorted.slice(-quarter))}  <0.3: ${below03.length} (${below03.length ? mean(below03) : '-'})`,
  );
}

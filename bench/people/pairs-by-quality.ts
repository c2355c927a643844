/**
 * Same/different cosine similarity of labelled face pairs, binned by the pair's worse quality: how
 * much less a poor face's similarity says. Run: npx vite-node bench/people/pairs-by-quality.ts -- celebs+lfw+hard-celebs+hard-lfw [--tta]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fitGaussian } from '../../src/engine/people/distance-model';
import type { CachedFace } from './embed-sets';

const args = process.argv.slice(2).filter((a) => a !== '--');
const tta = args.includes('--tta');
const edges = (args.find((a) => a.startsWith('--edges=')) ?? '--edges=0.3,0.45,0.6,0.75').slice(8).split(',').map(Number);
const cacheDir = '/tmp/facet-learning-cache';
const faces = (args[0] ?? 'celebs+lfw')
  .split('+')
  .flatMap((s) =>
    (JSON.parse(fs.readFileSync(path.join(cacheDir, `${s}.json`), 'utf8')) as CachedFace[])
      .filter((f) => f.identity)
      .map((f) => ({ ...f, identity: `${s.replace('hard-', '')}:${f.identity}` })),
  );
const vec = faces.map((f) => {
  const v = tta ? f.embedding.map((x, i) => x + f.mirror[i]!) : f.embedding;
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
});
const bins = edges.length + 1;
const same: number[][] = Array.from({ length: bins }, () => []);
const diff: number[][] = Array.from({ length: bins }, () => []);
let k = 0;
for (let i = 0; i < faces.length; i++) {
  for (let j = i + 1; j < faces.length; j++) {
    const isSame = faces[i]!.identity === faces[j]!.identity;
    if (!isSame && k++ % 37 !== 0) continue;
    const q = Math.min(faces[i]!.quality, faces[j]!.quality);
    const b = edges.filter((e) => q >= e).length;
    let s = 0;
    for (let d = 0; d < 128; d++) s += vec[i]![d]! * vec[j]![d]!;
    (isSame ? same : diff)[b]!.push(s);
  }
}
const hist = faces.map((f) => f.quality);
console.log(`quality: p10 ${q(0.1)} p25 ${q(0.25)} p50 ${q(0.5)} p75 ${q(0.75)}`);
function q(p: number): string {
  return [...hist].sort((a, b) => a - b)[Math.floor(p * hist.length)]!.toFixed(2);
}
for (let b = 0; b < bins; b++) {
  const s = fitGaussian(same[b]!);
  const d = fitGaussian(diff[b]!);
  console.log(
    `worse quality ≥ ${b === 0 ? 0 : edges[b - 1]}: same n=${same[b]!.length} ${s.mean.toFixed(4)}±${s.std.toFixed(4)}  diff n=${diff[b]!.length} ${d.mean.toFixed(4)}±${d.std.toFixed(4)}`,
  );
}

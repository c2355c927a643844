/**
 * Where BCubed recall is lost after automatic clustering: faces left unassigned versus a person split
 * over several clusters, and unassigned faces by quality.
 * Run: npx vite-node bench/people/recall-loss.ts -- <cacheDir> <set>
 */
import { personOfEachFace } from '../../src/engine/library/face-store';
import { clusteredCache } from './clustered-cache';
const [dir, set] = process.argv.slice(2).filter((a) => a !== '--');
const { faces, library, faceIds } = clusteredCache(dir!, set!);
const personOf = personOfEachFace(library.db);
const lab = faces.flatMap((f, i) => (f.identity ? [{ id: f.identity, p: personOf.get(faceIds[i]!) ?? null, q: f.quality }] : []));
const byId = new Map<string, typeof lab>();
for (const x of lab) byId.set(x.id, [...(byId.get(x.id) ?? []), x]);
let lossUnassigned = 0,
  lossSplit = 0,
  n = 0;
const bins = [0, 0.15, 0.3, 0.5, 0.7, 1.01];
const unBin = new Array(bins.length).fill(0),
  allBin = new Array(bins.length).fill(0);
for (const x of lab) {
  const same = byId.get(x.id)!;
  const together = x.p === null ? 1 : same.filter((y) => y.p === x.p).length;
  const loss = 1 - together / same.length;
  n++;
  if (x.p === null) lossUnassigned += loss;
  else lossSplit += loss;
  const b = bins.findIndex((e, k) => x.q >= e && x.q < bins[k + 1]!);
  allBin[b]++;
  if (x.p === null) unBin[b]++;
}
console.log(
  set,
  'recall',
  (1 - (lossUnassigned + lossSplit) / n).toFixed(3),
  'loss from unassigned',
  (lossUnassigned / n).toFixed(3),
  'from split clusters',
  (lossSplit / n).toFixed(3),
);
console.log(
  'unassigned by quality bin',
  bins
    .slice(0, -1)
    .map((e, k) => `${e}:${unBin[k]}/${allBin[k]}`)
    .join(' '),
);

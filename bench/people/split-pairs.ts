/**
 * Could a second merge pass join the clusters a person is split over? After production clustering of a
 * cached set, every pair of clusters (two or more faces each) that the exact 12-nearest-neighbour graph
 * connects and no photo forbids is labelled "one person" (same majority identity) or not, and the two
 * kinds are compared on what such a pass could see: the average link (mean cross-pair cosine) and the
 * neighbourhood overlap (share of each cluster's members' nearest neighbours that fall in the other,
 * size-weighted). A usable rule needs the one-person pairs to stand out; the printout shows whether they do.
 * Run: npx vite-node bench/people/split-pairs.ts -- <cacheDir> <set>
 */
import { personOfEachFace } from '../../src/engine/library/face-store';
import { NEIGHBOURS } from '../../src/engine/people/incremental-clustering';
import { clusteredCache } from './clustered-cache';
import { cosineMatrix, nearest } from './k-reciprocal';

const [dir, set] = process.argv.slice(2).filter((a) => a !== '--');
const { faces, library, faceIds } = clusteredCache(dir!, set!);
const personOf = personOfEachFace(library.db);
const n = faces.length;
const cosine = cosineMatrix(
  faces.map((f) => {
    const v = Float32Array.from(f.embedding, (x, i) => x + f.mirror[i]!);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  }),
);
const knn = nearest(cosine, n, NEIGHBOURS);
const cluster = faceIds.map((id) => personOf.get(id) ?? null);
const members = new Map<number, number[]>();
cluster.forEach((c, i) => c !== null && members.set(c, [...(members.get(c) ?? []), i]));
const majority = (c: number): string | undefined => {
  const counts = new Map<string, number>();
  for (const i of members.get(c)!) if (faces[i]!.identity) counts.set(faces[i]!.identity!, (counts.get(faces[i]!.identity!) ?? 0) + 1);
  return [...counts].sort((x, y) => y[1] - x[1])[0]?.[0];
};

const seen = new Set<string>();
const rows: { same: boolean; link: number; overlap: number }[] = [];
for (let i = 0; i < n; i++) {
  for (const j of knn[i]!) {
    const [a, b] = [cluster[i], cluster[j]];
    if (a == null || b == null || a === b || members.get(a)!.length < 2 || members.get(b)!.length < 2) continue;
    const key = `${Math.min(a, b)}:${Math.max(a, b)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [ma, mb] = [members.get(a)!, members.get(b)!];
    const photos = new Set(ma.map((x) => faces[x]!.photo));
    if (mb.some((x) => photos.has(faces[x]!.photo))) continue;
    let link = 0;
    for (const x of ma) for (const y of mb) link += cosine[x * n + y]!;
    const into = (from: number[], other: number): number =>
      from.reduce((s, x) => s + [...knn[x]!].filter((y) => cluster[y] === other).length / NEIGHBOURS, 0);
    const majorityA = majority(a);
    rows.push({
      same: majorityA !== undefined && majorityA === majority(b),
      link: link / (ma.length * mb.length),
      overlap: (into(ma, b) + into(mb, a)) / (ma.length + mb.length),
    });
  }
}
const quantiles = (values: number[], qs: number[]): string => {
  const sorted = [...values].sort((x, y) => x - y);
  return qs.map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(3) ?? '-').join(' / ');
};
const near = rows.filter((r) => r.link >= 0.2);
for (const same of [true, false]) {
  const group = near.filter((r) => r.same === same);
  console.log(
    `${set} ${same ? 'one person' : 'two people'}: ${group.length} cluster pairs with average link ≥ 0.2 (of ${rows.filter((r) => r.same === same).length});` +
      ` link p25/p50/p75/p90 ${quantiles(
        group.map((r) => r.link),
        [0.25, 0.5, 0.75, 0.9],
      )}; overlap ${quantiles(
        group.map((r) => r.overlap),
        [0.25, 0.5, 0.75, 0.9],
      )}`,
  );
}
for (const t of [0.05, 0.1, 0.15]) {
  const above = near.filter((r) => r.overlap >= t);
  console.log(
    `  overlap ≥ ${t}: ${above.filter((r) => r.same).length} one-person pairs, ${above.filter((r) => !r.same).length} two-people pairs`,
  );
}
library.close();

/**
 * Why labelled faces stay without a name or a guess after the review flow (bench/people/flow.ts):
 * each uncovered face by where it sits (an unnamed cluster and its size, or free) and its quality,
 * and, as a yardstick, the rank of its true person among named people by the face's best similarity
 * to their confirmed faces. Run: npx vite-node bench/people/uncovered.ts -- <set>
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { libraryWithFaces } from '../../test/engine/people/support/library-fixture';
import { reviewFlow } from './review-flow';
import type { CachedFace } from './embed-sets';

const args = process.argv.slice(2).filter((a) => a !== '--');
const set = args[0] ?? 'hard-lfw';
const cacheDir = process.env.FACET_LEARNING_CACHE ?? '/tmp/facet-learning-cache';
const faces = JSON.parse(fs.readFileSync(path.join(cacheDir, `${set}.json`), 'utf8')) as CachedFace[];
const unit = (f: CachedFace): number[] => {
  const v = f.embedding.map((x, i) => x + f.mirror[i]!);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const vectors = faces.map(unit);
const { library, faceIds } = libraryWithFaces(
  fs.mkdtempSync(path.join(os.tmpdir(), 'facet-uncovered-')),
  faces.map((f, i) => ({ photo: f.photo, quality: f.quality, resolution: f.resolution ?? null, embedding: vectors[i]! })),
);
runIncrementalClustering(library);
const labelled = faces.flatMap((f, i) => (f.identity ? [{ faceId: faceIds[i]!, identity: f.identity }] : []));
const flow = reviewFlow(library, labelled, 3);
const last = flow.rounds.at(-1)!;
console.log(`${set}: coverage=${last.coverage.toFixed(3)} accuracy=${last.accuracy.toFixed(3)} reviewed=${flow.reviewed}`);
const indexOf = new Map(faceIds.map((id, i) => [id, i]));
const row = library.db.prepare(
  `SELECT f.person_id AS pid, p.name AS name, f.suggested_person_id AS sid, f.suggestion_value AS value, f.quality,
     (SELECT COUNT(*) FROM faces g WHERE g.person_id = f.person_id) AS size,
     (SELECT COUNT(*) FROM face_rejections r WHERE r.face_id = f.id) AS rejections
   FROM faces f LEFT JOIN people p ON p.id = f.person_id WHERE f.id = ?`,
);
const confirmed = library.db
  .prepare(`SELECT f.id, p.name FROM faces f JOIN people p ON p.id = f.person_id WHERE f.assignment = 'confirmed' AND p.name IS NOT NULL`)
  .all() as { id: number; name: string }[];
const namedFirst = new Set<number>();
{
  const seen = new Set<string>();
  for (const l of labelled) {
    if (seen.has(l.identity)) continue;
    seen.add(l.identity);
    namedFirst.add(l.faceId);
  }
}
const buckets = new Map<string, number>();
const ranks = new Map<string, number[]>();
const clusters = new Map<number, string[]>();
for (const { faceId, identity } of labelled) {
  if (namedFirst.has(faceId)) continue;
  const o = row.get(faceId) as {
    pid: number | null;
    name: string | null;
    sid: number | null;
    value: number | null;
    quality: number;
    size: number;
    rejections: number;
  };
  if (o.name !== null || o.sid !== null) continue;
  const v = vectors[indexOf.get(faceId)!]!;
  const best = new Map<string, number>();
  for (const c of confirmed) {
    const w = vectors[indexOf.get(c.id)!]!;
    let s = 0;
    for (let d = 0; d < v.length; d++) s += v[d]! * w[d]!;
    if (s > (best.get(c.name) ?? -2)) best.set(c.name, s);
  }
  const sorted = [...best].sort((a, b) => b[1] - a[1]);
  const rank = sorted.findIndex(([n]) => n === identity) + 1;
  const where =
    o.pid === null
      ? o.quality < 0.15
        ? 'free, quality<0.15'
        : 'free'
      : `unnamed cluster ${o.size < 4 ? o.size : o.size < 10 ? '4-9' : '10+'}${o.value !== null ? ' (asked)' : ''}`;
  const key = `${where}${o.rejections ? ', declined before' : ''}`;
  buckets.set(key, (buckets.get(key) ?? 0) + 1);
  ranks.set(key, [...(ranks.get(key) ?? []), rank]);
  if (o.pid !== null) clusters.set(o.pid, [...(clusters.get(o.pid) ?? []), identity]);
}
for (const [key, n] of [...buckets].sort((a, b) => b[1] - a[1])) {
  const r = ranks.get(key)!;
  console.log(
    `${String(n).padStart(5)}  ${key}   truth rank 1: ${r.filter((x) => x === 1).length}, 2-3: ${r.filter((x) => x > 1 && x <= 3).length}`,
  );
}
const all = library.db
  .prepare(
    `SELECT person_id AS pid, COUNT(*) AS n FROM faces WHERE person_id IN (SELECT id FROM people WHERE name IS NULL) GROUP BY person_id`,
  )
  .all() as { pid: number; n: number }[];
const identityOf = new Map(labelled.map((l) => [l.faceId, l.identity]));
for (const c of all.sort((a, b) => b.n - a.n).slice(0, 25)) {
  const members = library.db.prepare('SELECT id FROM faces WHERE person_id = ?').pluck().all(c.pid) as number[];
  const counts = new Map<string, number>();
  for (const m of members) counts.set(identityOf.get(m) ?? '?', (counts.get(identityOf.get(m) ?? '?') ?? 0) + 1);
  console.log(
    `cluster ${c.pid} (${c.n}): ${[...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}×${v}`)
      .join(' ')}`,
  );
}
library.close();

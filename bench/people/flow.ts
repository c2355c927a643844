/**
 * Experiments on the cached embeddings of bench/people/embed-sets.ts: initial clustering (BCubed F1,
 * cannot-link clashes) and the review flow of the issue, on a fresh real library per run.
 * Run: npx vite-node bench/people/flow.ts -- <set> [--tta] [--json] [--cluster-only] [--param=name=value]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bcubed } from './bcubed';
import { personOfEachFace } from '../../src/engine/library/face-store';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { reviewFlow } from './review-flow';
import { libraryWithFaces } from '../../test/engine/people/support/library-fixture';
import type { CachedFace } from './embed-sets';

const args = process.argv.slice(2).filter((a) => a !== '--');
const set = args[0] ?? 'celebs';
const tta = args.includes('--tta');
const learning = !args.includes('--no-learning');
const suggest = args.find((a) => a.startsWith('--suggest='));
// --param=name=value sets any clustering parameter (e.g. --param=neighbourPriorSame=0.05).
const params: Record<string, number> = Object.fromEntries(
  args
    .filter((a) => a.startsWith('--param='))
    .map((a) => a.slice(8).split('='))
    .map(([k, v]) => [k!, Number(v)]),
);
if (suggest) params.suggestConfidence = Number(suggest.slice(10));
const cacheDir = process.env.FACET_LEARNING_CACHE ?? '/tmp/facet-learning-cache';

function average(a: number[], b: number[]): number[] {
  const v = a.map((x, i) => x + b[i]!);
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

const faces = set.split('+').flatMap((s) => JSON.parse(fs.readFileSync(path.join(cacheDir, `${s}.json`), 'utf8')) as CachedFace[]);
const fixture = faces.map((f) => ({
  photo: f.photo,
  quality: f.quality,
  resolution: f.resolution ?? null,
  embedding: tta ? average(f.embedding, f.mirror) : f.embedding,
}));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-learning-flow-'));
const { library, faceIds } = libraryWithFaces(dir, fixture);
let started = performance.now();
runIncrementalClustering(library, { learning, params });
const clusterSeconds = (performance.now() - started) / 1000;
const personOf = personOfEachFace(library.db);
const labelled = faces.flatMap((f, i) => (f.identity ? [{ faceId: faceIds[i]!, identity: f.identity }] : []));
const clustering = bcubed(
  labelled.map((l) => l.identity),
  labelled.map((l) => personOf.get(l.faceId) ?? null),
);
const clashes = library.db
  .prepare('SELECT COUNT(*) FROM (SELECT 1 FROM faces WHERE person_id IS NOT NULL GROUP BY photo_id, person_id HAVING COUNT(*) > 1)')
  .pluck()
  .get() as number;
if (args.includes('--cluster-only')) {
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  console.log(
    `${set} ${JSON.stringify(params)}: clusterF1=${r(clustering.f1)} P=${r(clustering.precision)} R=${r(clustering.recall)} clashes=${clashes}`,
  );
  process.exit(0);
}
started = performance.now();
const flow = reviewFlow(library, labelled, 3, { learning, params });
const learned = runIncrementalClustering(library, { learning, params }).learned;
const flowSeconds = (performance.now() - started) / 1000;
library.close();
fs.rmSync(dir, { recursive: true, force: true });
const r = (x: number): number => Math.round(x * 1000) / 1000;
const line = (o: Record<string, number>): string =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : r(v)}`)
    .join(' ');
console.log(
  `${set}${tta ? ' tta' : ''}${learning ? '' : ' no-learning'}${suggest ? ` ${suggest}` : ''}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}: faces=${faces.length} labelled=${labelled.length} people=${flow.people} clusterF1=${r(clustering.f1)} P=${r(clustering.precision)} R=${r(clustering.recall)} clashes=${clashes} cluster=${r(clusterSeconds)}s flow=${r(flowSeconds)}s reviewed=${flow.reviewed}`,
);
console.log('  named: ' + line({ ...flow.afterNaming }));
flow.rounds.forEach((round, i) => console.log(`  round ${i + 1}: ` + line({ ...round })));
console.log('  learned: ' + JSON.stringify(learned));
if (args.includes('--json')) console.log(JSON.stringify({ set, tta, clustering, clashes, flow }));

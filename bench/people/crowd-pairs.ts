/**
 * What strangers' faces score in crowds: pairs of faces from different photos of ../shared/photos/groups
 * (unrelated crowds, so different people), binned by the worse face's resolution factor and by its
 * quality, and how many people a full re-cluster makes that span two crowds (all of them wrong).
 * Why: which poor faces may found a person (quality.ts MIN_FOUNDING_*, people/README.md "Founding bar").
 * Run: facet index ../shared/photos/groups --library <dir> --no-text, then
 *      npx vite-node bench/people/crowd-pairs.ts -- <dir> [--param=name=value ...]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../../src/engine/library/library';
import { loadFaceVectors, row } from '../../src/engine/library/face-vectors';
import { dot } from '../../src/engine/ml/vector-math';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';

const args = process.argv.slice(2).filter((a) => a !== '--');
const libraryDir = args[0];
if (!libraryDir) throw new Error('usage: crowd-pairs.ts <library dir indexed from ../shared/photos/groups>');
const params = Object.fromEntries(
  args
    .filter((a) => a.startsWith('--param='))
    .map((a) => a.slice(8).split('='))
    .map(([k, v]) => [k!, Number(v)]),
);
/** The linkage line of the default distance model at the default prior, for the share of pairs above it. */
const LINE = 0.33;
const EDGES = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7];

interface CrowdFace {
  id: number;
  quality: number;
  resolution: number;
  photo: string;
}

function stats(similarities: number[]): string {
  if (similarities.length === 0) return 'n=0';
  const mean = similarities.reduce((s, x) => s + x, 0) / similarities.length;
  const std = Math.sqrt(similarities.reduce((s, x) => s + (x - mean) ** 2, 0) / similarities.length);
  const above = similarities.filter((x) => x > LINE).length / similarities.length;
  return `n=${similarities.length} ${mean.toFixed(3)} ± ${std.toFixed(3)}, above ${LINE}: ${(100 * above).toFixed(2)}%`;
}

function pairTable(library: Library, faces: CrowdFace[], by: 'resolution' | 'quality', bothResolution = 0): void {
  const vectors = loadFaceVectors(
    library.db,
    'mobilefacenet-128',
    faces.map((f) => f.id),
  );
  const at = new Map(vectors.ids.map((id, i) => [id, i]));
  const bins: number[][] = Array.from({ length: EDGES.length + 1 }, () => []);
  for (let i = 0; i < faces.length; i++) {
    for (let j = i + 1; j < faces.length; j++) {
      const [a, b] = [faces[i]!, faces[j]!];
      if (a.photo === b.photo || Math.min(a.resolution, b.resolution) < bothResolution) continue;
      const worse = Math.min(a[by], b[by]);
      bins[EDGES.filter((e) => worse >= e).length]!.push(dot(row(vectors, at.get(a.id)!), row(vectors, at.get(b.id)!)));
    }
  }
  console.log(`pairs across crowds by the worse face's ${by}${bothResolution ? ` (both resolution ≥ ${bothResolution})` : ''}:`);
  bins.forEach((similarities, b) => console.log(`  ≥ ${b === 0 ? 0 : EDGES[b - 1]}: ${stats(similarities)}`));
}

function peopleAcrossCrowds(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-crowds-'));
  fs.cpSync(libraryDir!, dir, { recursive: true });
  const library = Library.open(dir);
  runIncrementalClustering(library, { full: true, params });
  const members = library.db
    .prepare('SELECT f.person_id AS person, p.path AS photo FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.person_id IS NOT NULL')
    .all() as { person: number; photo: string }[];
  const photosOf = new Map<number, Set<string>>();
  for (const m of members) photosOf.set(m.person, (photosOf.get(m.person) ?? new Set()).add(m.photo));
  const across = [...photosOf.values()].filter((photos) => photos.size >= 2).length;
  console.log(
    `re-clustered ${JSON.stringify(params)}: ${members.length} faces in ${photosOf.size} people, ${across} spanning unrelated crowds`,
  );
  library.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

const library = Library.open(libraryDir);
const faces = library.db
  .prepare(
    'SELECT f.id, f.quality, f.resolution, p.path AS photo FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.resolution IS NOT NULL',
  )
  .all() as CrowdFace[];
console.log(`${faces.length} faces with a stored resolution`);
pairTable(library, faces, 'resolution');
pairTable(library, faces, 'quality', 0.5);
pairTable(library, faces, 'quality');
library.close();
peopleAcrossCrowds();

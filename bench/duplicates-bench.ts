import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../src/engine/library/library';
import { findImageVectorTable, imageVectorTable, markEmbedded, writeImageVector } from '../src/engine/library/image-vectors';
import { registerIndexedPhoto } from '../src/engine/library/photo-store';
import { findDuplicates } from '../src/engine/search/duplicates';
import { ensureCompactVectors } from '../src/engine/search/vector-index';
import { seededRandom } from './seeded-random';

export interface DuplicatesBenchOptions {
  photos: number;
  /** Keep the library here and reuse it on the next run with the same size. */
  cacheDir?: string;
  seed?: number;
}

export interface DuplicatesBenchReport {
  photos: number;
  /** findDuplicates end to end: reading the photos, hash index, candidates, embedding checks, groups. */
  seconds: number;
  /** Process CPU time of the same (what other processes' load does not inflate). */
  cpu_seconds: number;
  groups: number;
  /** Share of the planted copies found in their original's group. */
  copies_grouped: number;
  /** Groups holding photos of more than one original (must be 0). */
  mixed_groups: number;
  /** Building the persisted compact vectors first (0 when already there). */
  index_build_seconds: number;
  build_seconds: number;
}

const MODEL_ID = 'bench-dupes-clip-512';
const DIMS = 512;

/**
 * `facet bench duplicates --photos N`: a library of N synthetic photos, one in ten a planted copy of
 * an earlier one (re-encoded/resized: a few bits off its whole-frame hash; cropped: near its inner
 * region; a burst-like near miss 7–11 bits off, with a CLIP vector next to the original's), random
 * 512-d vectors for the rest; then the real findDuplicates with embeddings on.
 */
export async function benchDuplicates(options: DuplicatesBenchOptions): Promise<DuplicatesBenchReport> {
  const seed = options.seed ?? 1;
  const root = options.cacheDir
    ? path.join(options.cacheDir, `duplicates-${options.photos}-seed${seed}`)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-dupes-'));
  const complete = path.join(root, 'bench-complete');
  if (options.cacheDir && !fs.existsSync(complete)) fs.rmSync(root, { recursive: true, force: true });
  const library = Library.open(root);
  try {
    const started = performance.now();
    const originals = fs.existsSync(complete) ? plant(options.photos, seed).originalOf : populate(library, options.photos, seed);
    fs.writeFileSync(complete, '');
    const buildSeconds = (performance.now() - started) / 1000;
    const indexStarted = performance.now();
    const built = ensureCompactVectors(library.db, findImageVectorTable(library.db, MODEL_ID)!);
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    const timed = performance.now();
    const cpu = process.cpuUsage();
    const groups = await findDuplicates(library, { modelId: MODEL_ID });
    const seconds = (performance.now() - timed) / 1000;
    const used = process.cpuUsage(cpu);
    const sourceOf = (id: number) => originals[id - 1]!;
    const planted = originals.filter((o, i) => o !== i + 1).length;
    let grouped = 0;
    let mixed = 0;
    for (const group of groups) {
      const sources = new Set(group.photos.map((p) => sourceOf(p.photoId)));
      if (sources.size > 1) mixed++;
      grouped += group.photos.filter(
        (p) => sourceOf(p.photoId) !== p.photoId && group.photos.some((o) => o.photoId === sourceOf(p.photoId)),
      ).length;
    }
    return {
      photos: options.photos,
      seconds: round(seconds),
      cpu_seconds: round((used.user + used.system) / 1e6),
      groups: groups.length,
      copies_grouped: round(planted ? grouped / planted : 1, 4),
      mixed_groups: mixed,
      index_build_seconds: built ? round(indexSeconds) : 0,
      build_seconds: round(buildSeconds),
    };
  } finally {
    library.close();
    if (!options.cacheDir) fs.rmSync(root, { recursive: true, force: true });
  }
}

interface Planted {
  /** Per photo (index id − 1): the id of the original it copies, or its own id. */
  originalOf: Uint32Array;
  hashes: string[];
  vectorOf: (id: number) => Float32Array;
}

/** The synthetic library, regenerated identically from the seed. */
function plant(count: number, seed: number): Planted {
  const random = seededRandom(seed);
  const word = () => Math.floor(random() * 2 ** 32) >>> 0;
  const originalOf = new Uint32Array(count);
  const words: Uint32Array[] = [];
  const flip = (hash: Uint32Array, bits: number, part: number) => {
    const out = Uint32Array.from(hash);
    const used = new Set<number>();
    while (used.size < bits) used.add(Math.floor(random() * 64));
    for (const bit of used) out[2 * part + (bit >> 5)]! ^= 1 << (bit & 31);
    return out;
  };
  for (let id = 1; id <= count; id++) {
    const roll = random();
    if (id > 10 && roll < 0.1) {
      const of = originalOf[Math.floor(random() * (id - 1))]!; // always copy an original
      originalOf[id - 1] = of;
      const source = words[of - 1]!;
      let hash: Uint32Array;
      if (roll < 0.05)
        hash = flip(source, Math.floor(random() * 5), 0); // re-encoded / resized
      else if (roll < 0.08)
        hash = Uint32Array.of(...flip(Uint32Array.of(source[2]!, source[3]!), Math.floor(random() * 4), 0), word(), word(), word(), word()); // cropped to 90%
      else hash = flip(source, 7 + Math.floor(random() * 5), 0); // a near miss the embeddings must confirm
      words.push(hash);
    } else {
      originalOf[id - 1] = id;
      words.push(Uint32Array.from({ length: 6 }, word));
    }
  }
  const hashes = words.map((w) =>
    Array.from({ length: 3 }, (_, r) => w[2 * r]!.toString(16).padStart(8, '0') + w[2 * r + 1]!.toString(16).padStart(8, '0')).join(':'),
  );
  const vectorOf = (id: number) => {
    const original = originalOf[id - 1]!;
    const r = seededRandom(seed * 7919 + original);
    const v = Float32Array.from({ length: DIMS }, () => r() - 0.5);
    if (original !== id) {
      const noise = seededRandom(seed * 104729 + id);
      for (let d = 0; d < DIMS; d++) v[d]! += (noise() - 0.5) * 0.02;
    }
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  return { originalOf, hashes, vectorOf };
}

function populate(library: Library, count: number, seed: number): Uint32Array {
  const { originalOf, hashes, vectorOf } = plant(count, seed);
  const db = library.db;
  const table = imageVectorTable(db, MODEL_ID, DIMS);
  for (let start = 1; start <= count; start += 10_000) {
    db.transaction(() => {
      for (let id = start; id < Math.min(start + 10_000, count + 1); id++) {
        const copy = originalOf[id - 1] !== id;
        registerIndexedPhoto(db, {
          id,
          path: `/bench/${id}.jpg`,
          size: copy ? 1000 + (id % 1000) : 5_000_000,
          width: copy ? 2000 : 4000,
          height: copy ? 1500 : 3000,
          perceptualHash: hashes[id - 1],
        });
        writeImageVector(db, table, id, vectorOf(id));
        markEmbedded(db, id, MODEL_ID);
      }
    })();
  }
  return originalOf;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

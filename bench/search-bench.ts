import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../src/engine/library/library';
import { type RegisteredFace, registerFaces } from '../src/engine/library/face-store';
import { findImageVectorTable, imageVectorTable, markEmbedded, writeImageVector } from '../src/engine/library/image-vectors';
import { createPerson } from '../src/engine/library/people-store';
import { registerIndexedPhoto } from '../src/engine/library/photo-store';
import { ensureCompactVectors, releaseVectorIndexes } from '../src/engine/search/vector-index';
import { parseQuery, searchByEmbedding } from '../src/engine/search/text-search';
import { seededRandom } from './seeded-random';

export interface BenchSearchOptions {
  photos: number;
  dimensions?: number;
  /** Timed queries per variant (unfiltered, person + date). */
  queries?: number;
  k?: number;
  /** Queries whose results are checked against an exact scan (recall@k). */
  recallQueries?: number;
  /** Where the temporary library goes (default: the OS temp folder); removed afterwards. */
  tempDir?: string;
  /**
   * Keep the library here and reuse it on the next run with the same photos, dimensions and seed
   * (a million photos take many minutes to write). The bench's queries never write to it.
   */
  cacheDir?: string;
  seed?: number;
  /**
   * Drop the library's files (the database and the vector index file) from the OS page cache before
   * each timed query, so every query is a first search of the day, read from disk (Linux only).
   */
  cold?: boolean;
  onProgress?: (message: string) => void;
}

export interface BenchSearchResult {
  photos: number;
  p50_ms: number;
  p95_ms: number;
  filtered_p50_ms: number;
  filtered_p95_ms: number;
  /**
   * The first person + date query after the load, and the slowest three (all in the percentiles):
   * shows whether a start's first filtered searches pay for cold code paths.
   */
  filtered_first_ms: number;
  filtered_slowest: { query: number; ms: number }[];
  /** Process CPU time per query (median), unaffected by other processes' load. */
  cpu_p50_ms: number;
  filtered_cpu_p50_ms: number;
  /** Average share of the exact top-k that the search returned. */
  recall_at_k: number;
  filtered_recall_at_k: number;
  /** Mean number of photos the person + date filter lets through. */
  filtered_candidates: number;
  k: number;
  queries: number;
  build_seconds: number;
  index_build_seconds: number;
  /** First query: reading the vectors into the in-memory scan. */
  load_seconds: number;
  rss_mb: number;
  /** Whether each timed query started with the library's files out of the page cache (--cold). */
  cold: boolean;
}

const PEOPLE = 100;
const MODEL_ID = 'bench-clip-512';
const YEARS = 25;

/**
 * The search benchmark: a temporary library of N synthetic photos (dates, faces of 100 named people)
 * with random unit CLIP vectors, written and queried through the same storage and search code the app
 * uses (vec0 table from imageVectorTable, searchByEmbedding with its exact filters). Timed queries are
 * random unit vectors with k = 50, without filters and with a person + two-year date filter.
 */
export async function benchSearch(options: BenchSearchOptions): Promise<BenchSearchResult> {
  const dims = options.dimensions ?? 512;
  const k = options.k ?? 50;
  const queryCount = options.queries ?? 50;
  const recallCount = Math.min(options.recallQueries ?? 10, queryCount);
  const log = options.onProgress ?? (() => {});
  const seed = options.seed ?? 1;
  const cached = options.cacheDir ? path.join(options.cacheDir, `search-${options.photos}-${dims}d-seed${seed}`) : null;
  const root = cached ?? fs.mkdtempSync(path.join(options.tempDir ?? os.tmpdir(), 'facet-bench-search-'));
  const complete = path.join(root, 'bench-complete');
  if (cached && !fs.existsSync(complete)) fs.rmSync(cached, { recursive: true, force: true }); // an interrupted build
  const library = Library.open(root);
  try {
    const started = performance.now();
    const facts = fs.existsSync(complete) ? replayFacts(options.photos, dims, seed) : populate(library, options.photos, dims, seed, log);
    if (cached) fs.writeFileSync(complete, '');
    const buildSeconds = (performance.now() - started) / 1000;
    log('building the compact index');
    const indexStarted = performance.now();
    const builtIndex = ensureCompactVectors(library.db, findImageVectorTable(library.db, MODEL_ID)!);
    const indexBuildSeconds = (performance.now() - indexStarted) / 1000;
    const random = new Random((options.seed ?? 1) + 1_000_003);
    const queries = Array.from({ length: queryCount }, () => randomUnit(random, dims));
    const filters = queries.map(() => {
      const from = 2000 + Math.floor(random.next() * (YEARS - 2));
      return { people: [`Person ${1 + Math.floor(random.next() * PEOPLE)}`], from: `${from}-01-01`, to: `${from + 1}-12-31` };
    });
    const run = (i: number, filtered: boolean) =>
      searchByEmbedding(
        library,
        MODEL_ID,
        queries[i]!,
        parseQuery({ text: 'bench', limit: k, minScore: -1, ...(filtered ? filters[i] : {}) }),
        -1,
      );
    log('loading the vectors for search');
    const loadStarted = performance.now();
    await run(0, false); // the first query loads the persisted compact index
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    // Wall time is what a user waits; process CPU time (all threads) is reported beside it because it
    // does not grow when other processes compete for the cores.
    const cpuMs: Record<'plain' | 'filtered', number[]> = { plain: [], filtered: [] };
    const time = async (filtered: boolean) => {
      const times: number[] = [];
      for (let i = 0; i < queries.length; i++) {
        if (options.cold) dropFromPageCache(root);
        const cpu = process.cpuUsage();
        const t = performance.now();
        await run(i, filtered);
        times.push(performance.now() - t);
        const used = process.cpuUsage(cpu);
        cpuMs[filtered ? 'filtered' : 'plain'].push((used.user + used.system) / 1000);
      }
      return times;
    };
    log('timing unfiltered queries');
    const plain = await time(false);
    log('timing person + date queries');
    const filteredTimes = await time(true);
    log('checking recall against an exact scan');
    const exact = exactTopK(facts, queries.slice(0, recallCount), filters.slice(0, recallCount), options.photos, dims, seed, k);
    const recall = async (filtered: boolean) => {
      const overlaps: number[] = [];
      for (const [i, expected] of exact[filtered ? 'filtered' : 'plain'].entries())
        overlaps.push(
          overlap(
            (await run(i, filtered)).map((h) => h.photoId),
            expected,
            k,
          ),
        );
      return mean(overlaps);
    };
    return {
      photos: options.photos,
      p50_ms: round(percentile(plain, 50)),
      p95_ms: round(percentile(plain, 95)),
      filtered_p50_ms: round(percentile(filteredTimes, 50)),
      filtered_p95_ms: round(percentile(filteredTimes, 95)),
      filtered_first_ms: round(filteredTimes[0] ?? 0),
      filtered_slowest: filteredTimes
        .map((ms, query) => ({ query, ms: round(ms) }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3),
      cpu_p50_ms: round(percentile(cpuMs.plain, 50)),
      filtered_cpu_p50_ms: round(percentile(cpuMs.filtered, 50)),
      recall_at_k: round(await recall(false), 4),
      filtered_recall_at_k: round(await recall(true), 4),
      filtered_candidates: Math.round(mean(exact.candidates)),
      k,
      queries: queryCount,
      build_seconds: round(buildSeconds, 1),
      /** Building the persisted compact index (0 when a valid one was already beside the database). */
      index_build_seconds: builtIndex ? round(indexBuildSeconds, 1) : 0,
      load_seconds: round(loadSeconds, 2),
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
      cold: options.cold ?? false,
    };
  } finally {
    // Closes the index's file and releases its scan session (~530 MB of packed codes per million).
    await releaseVectorIndexes(library.db);
    library.close();
    if (!cached) fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Evicts the library's database and vector index files from the OS page cache: `dd iflag=nocache
 * count=0` asks the kernel to drop a whole file's cached pages (posix_fadvise DONTNEED, which Node does
 * not expose). Pages of files open elsewhere are dropped too; only clean pages can be, so the database
 * is checkpointed by its writers, not here (the bench's queries never write).
 */
function dropFromPageCache(root: string): void {
  if (process.platform !== 'linux') throw new Error('--cold drops files from the page cache with dd iflag=nocache: Linux only');
  const index = path.join(root, 'vector-index');
  const files = [
    ...fs
      .readdirSync(root)
      .filter((name) => name.startsWith('facet.db'))
      .map((name) => path.join(root, name)),
    ...(fs.existsSync(index) ? fs.readdirSync(index).map((name) => path.join(index, name)) : []),
  ];
  for (const file of files) {
    const dd = spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
    if (dd.status !== 0) throw new Error(`dd could not drop ${file} from the page cache: ${dd.stderr.toString().trim()}`);
  }
}

interface PhotoFacts {
  /** Per photo (index = id − 1): capture year, and the ids of up to two people in it (0: nobody). */
  year: Uint16Array;
  people: Uint8Array;
}

function recordFacts(facts: PhotoFacts, p: SyntheticPhoto): void {
  facts.year[p.id - 1] = p.year;
  facts.people.set(p.people, (p.id - 1) * 2);
}

function newFacts(count: number): PhotoFacts {
  return { year: new Uint16Array(count), people: new Uint8Array(count * 2) };
}

interface SyntheticPhoto {
  id: number;
  year: number;
  takenAt: string;
  people: Uint8Array;
  vector: Float32Array;
}

/**
 * The library's photos, drawn from one seeded generator: the same seed gives the same photos, so the
 * recall reference and a cached library can replay them instead of keeping a million vectors around.
 */
function* syntheticPhotos(count: number, dims: number, seed: number): Generator<SyntheticPhoto> {
  const random = new Random(seed);
  for (let id = 1; id <= count; id++) {
    const year = 2000 + Math.floor(random.next() * YEARS);
    const day = 1 + Math.floor(random.next() * 28);
    const month = 1 + Math.floor(random.next() * 12);
    const people = new Uint8Array(Math.floor(random.next() * 3)).map(() => 1 + Math.floor(random.next() * PEOPLE));
    const vector = randomUnit(random, dims);
    yield { id, year, takenAt: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T12:00:00`, people, vector };
  }
}

function replayFacts(count: number, dims: number, seed: number): PhotoFacts {
  const facts = newFacts(count);
  for (const p of syntheticPhotos(count, dims, seed)) recordFacts(facts, p);
  return facts;
}

function populate(library: Library, count: number, dims: number, seed: number, log: (m: string) => void): PhotoFacts {
  const db = library.db;
  const table = imageVectorTable(db, MODEL_ID, dims);
  const facts = newFacts(count);
  db.transaction(() => {
    for (let p = 1; p <= PEOPLE; p++) {
      // A fresh library numbers people from 1: the filters below name "Person p" and expect id p.
      if (createPerson(db, `Person ${p}`) !== p) throw new Error(`The benchmark library must be new (person ${p} got another id)`);
    }
  })();
  const photos = syntheticPhotos(count, dims, seed);
  const BATCH = 10_000;
  for (let start = 1; start <= count; start += BATCH) {
    db.transaction(() => {
      for (let n = 0; n < BATCH; n++) {
        const next = photos.next();
        if (next.done) return;
        const p = next.value;
        registerIndexedPhoto(db, { id: p.id, path: `/bench/${p.id}.jpg`, takenAt: p.takenAt });
        recordFacts(facts, p);
        registerFaces(
          db,
          p.id,
          'bench',
          Array.from(p.people, (personId): RegisteredFace => ({ box: [0, 0, 1, 1], score: 1, landmarks: [], quality: 1, personId })),
        );
        writeImageVector(db, table, p.id, p.vector);
        markEmbedded(db, p.id, MODEL_ID);
      }
    })();
    log(`built ${Math.min(start + BATCH - 1, count)} / ${count} photos`);
  }
  return facts;
}

/** The reference for recall: an exact scan in plain JavaScript over the replayed vectors. */
function exactTopK(
  facts: PhotoFacts,
  queries: Float32Array[],
  filters: { people: string[]; from: string; to: string }[],
  count: number,
  dims: number,
  seed: number,
  k: number,
) {
  const plain = queries.map(() => new TopK(k));
  const filtered = queries.map(() => new TopK(k));
  const candidates = queries.map(() => 0);
  for (const { id, vector: v } of syntheticPhotos(count, dims, seed)) {
    queries.forEach((q, i) => {
      let score = 0;
      for (let d = 0; d < dims; d++) score += q[d]! * v[d]!;
      plain[i]!.add(id, score);
      const f = filters[i]!;
      const year = facts.year[id - 1]!;
      const person = Number(f.people[0]!.split(' ')[1]);
      if (
        year >= Number(f.from.slice(0, 4)) &&
        year <= Number(f.to.slice(0, 4)) &&
        (facts.people[(id - 1) * 2] === person || facts.people[(id - 1) * 2 + 1] === person)
      ) {
        candidates[i]!++;
        filtered[i]!.add(id, score);
      }
    });
  }
  return { plain: plain.map((t) => t.ids()), filtered: filtered.map((t) => t.ids()), candidates };
}

class TopK {
  private readonly items: { id: number; score: number }[] = [];
  constructor(private readonly k: number) {}
  add(id: number, score: number): void {
    if (this.items.length === this.k && score <= this.items[this.items.length - 1]!.score) return;
    this.items.push({ id, score });
    this.items.sort((a, b) => b.score - a.score);
    if (this.items.length > this.k) this.items.pop();
  }
  ids(): number[] {
    return this.items.map((i) => i.id);
  }
}

function overlap(got: number[], expected: number[], k: number): number {
  if (expected.length === 0) return got.length === 0 ? 1 : 0;
  const want = new Set(expected.slice(0, k));
  return got.filter((id) => want.has(id)).length / want.size;
}

/** Seeded, so the reference scan can replay the library's vectors. */
class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
}

/** A uniformly random direction: normalised Gaussian coordinates (Box-Muller). */
function randomUnit(random: Random, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random.next()));
    const theta = 2 * Math.PI * random.next();
    v[i] = r * Math.cos(theta);
    if (i + 1 < dims) v[i + 1] = r * Math.sin(theta);
  }
  for (let i = 0; i < dims; i++) norm += v[i]! * v[i]!;
  norm = Math.sqrt(norm);
  for (let i = 0; i < dims; i++) v[i]! /= norm;
  return v;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

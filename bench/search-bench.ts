import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../src/engine/library/library';
import { vectorBlob, vectorRowid } from '../src/engine/library/vector-codec';
import { imageVectorTable } from '../src/engine/library/image-vectors';
import { parseQuery, searchByEmbedding } from '../src/engine/search/text-search';

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
  seed?: number;
  onProgress?: (message: string) => void;
}

export interface BenchSearchResult {
  photos: number;
  p50_ms: number;
  p95_ms: number;
  filtered_p50_ms: number;
  filtered_p95_ms: number;
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
  /** First query: reading the vectors into the in-memory scan. */
  load_seconds: number;
  rss_mb: number;
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
  const root = fs.mkdtempSync(path.join(options.tempDir ?? os.tmpdir(), 'facet-bench-search-'));
  const library = Library.open(root);
  try {
    const started = performance.now();
    const facts = populate(library, options.photos, dims, options.seed ?? 1, log);
    const buildSeconds = (performance.now() - started) / 1000;
    const random = new Random((options.seed ?? 1) + 1_000_003);
    const queries = Array.from({ length: queryCount }, () => randomUnit(random, dims));
    const filters = queries.map(() => {
      const from = 2000 + Math.floor(random.next() * (YEARS - 2));
      return { people: [`Person ${1 + Math.floor(random.next() * PEOPLE)}`], from: `${from}-01-01`, to: `${from + 1}-12-31` };
    });
    const run = (i: number, filtered: boolean) =>
      searchByEmbedding(library, MODEL_ID, queries[i]!, parseQuery({ text: 'bench', limit: k, minScore: -1, ...(filtered ? filters[i] : {}) }), -1);
    log('loading the vectors for search');
    const loadStarted = performance.now();
    await run(0, false); // the first query loads the in-memory copy of the vectors
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    // Wall time is what a user waits; process CPU time (all threads) is reported beside it because it
    // does not grow when other processes compete for the cores.
    const cpuMs: Record<'plain' | 'filtered', number[]> = { plain: [], filtered: [] };
    const time = async (filtered: boolean) => {
      const times: number[] = [];
      for (let i = 0; i < queries.length; i++) {
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
    const exact = exactTopK(facts, queries.slice(0, recallCount), filters.slice(0, recallCount), options.photos, dims, options.seed ?? 1, k);
    const recall = async (filtered: boolean) => {
      const overlaps: number[] = [];
      for (const [i, expected] of exact[filtered ? 'filtered' : 'plain'].entries()) overlaps.push(overlap((await run(i, filtered)).map((h) => h.photoId), expected, k));
      return mean(overlaps);
    };
    return {
      photos: options.photos,
      p50_ms: round(percentile(plain, 50)),
      p95_ms: round(percentile(plain, 95)),
      filtered_p50_ms: round(percentile(filteredTimes, 50)),
      filtered_p95_ms: round(percentile(filteredTimes, 95)),
      cpu_p50_ms: round(percentile(cpuMs.plain, 50)),
      filtered_cpu_p50_ms: round(percentile(cpuMs.filtered, 50)),
      recall_at_k: round(await recall(false), 4),
      filtered_recall_at_k: round(await recall(true), 4),
      filtered_candidates: Math.round(mean(exact.candidates)),
      k,
      queries: queryCount,
      build_seconds: round(buildSeconds, 1),
      load_seconds: round(loadSeconds, 2),
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    };
  } finally {
    library.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

interface PhotoFacts {
  /** Per photo (index = id − 1): capture year, and a bitmask-free list of people ids. */
  year: Uint16Array;
  people: Uint8Array[];
}

function populate(library: Library, count: number, dims: number, seed: number, log: (m: string) => void): PhotoFacts {
  const db = library.db;
  const random = new Random(seed);
  const table = imageVectorTable(db, MODEL_ID, dims);
  const facts: PhotoFacts = { year: new Uint16Array(count), people: [] };
  db.transaction(() => {
    const person = db.prepare('INSERT INTO people (id, name) VALUES (?, ?)');
    for (let p = 1; p <= PEOPLE; p++) person.run(p, `Person ${p}`);
  })();
  const photo = db.prepare("INSERT INTO photos (id, path, size, mtime_ms, status, taken_at) VALUES (?, ?, 1, 0, 'indexed', ?)");
  const face = db.prepare("INSERT INTO faces (photo_id, model_id, box_x, box_y, box_w, box_h, score, landmarks, quality, person_id) VALUES (?, 'bench', 0, 0, 1, 1, 1, '[]', 1, ?)");
  const vector = db.prepare(`INSERT INTO ${table.tableName} (rowid, embedding) VALUES (?, ?)`);
  const embedded = db.prepare('INSERT INTO photo_embeddings (photo_id, model_id) VALUES (?, ?)');
  const BATCH = 10_000;
  for (let start = 1; start <= count; start += BATCH) {
    db.transaction(() => {
      for (let id = start; id < Math.min(start + BATCH, count + 1); id++) {
        const year = 2000 + Math.floor(random.next() * YEARS);
        const day = 1 + Math.floor(random.next() * 28);
        const month = 1 + Math.floor(random.next() * 12);
        photo.run(id, `/bench/${id}.jpg`, `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T12:00:00`);
        facts.year[id - 1] = year;
        const people = new Uint8Array(Math.floor(random.next() * 3)).map(() => 1 + Math.floor(random.next() * PEOPLE));
        facts.people.push(people);
        for (const p of people) face.run(id, p);
        vector.run(vectorRowid(id), vectorBlob(randomUnit(random, dims)));
        embedded.run(id, MODEL_ID);
      }
    })();
    log(`built ${Math.min(start + BATCH - 1, count)} / ${count} photos`);
  }
  return facts;
}

/**
 * The reference for recall: an exact scan in plain JavaScript, re-creating each stored vector from
 * the same seeded generator (so a million vectors never need to sit in memory at once).
 */
function exactTopK(facts: PhotoFacts, queries: Float32Array[], filters: { people: string[]; from: string; to: string }[], count: number, dims: number, seed: number, k: number) {
  const random = new Random(seed);
  const plain = queries.map(() => new TopK(k));
  const filtered = queries.map(() => new TopK(k));
  const candidates = queries.map(() => 0);
  for (let id = 1; id <= count; id++) {
    // Replay populate's draws in the same order: year, day, month, people count and ids, vector.
    random.next();
    random.next();
    random.next();
    const people = Math.floor(random.next() * 3);
    for (let i = 0; i < people; i++) random.next();
    const v = randomUnit(random, dims);
    queries.forEach((q, i) => {
      let score = 0;
      for (let d = 0; d < dims; d++) score += q[d]! * v[d]!;
      plain[i]!.add(id, score);
      const f = filters[i]!;
      const year = facts.year[id - 1]!;
      const person = Number(f.people[0]!.split(' ')[1]);
      if (year >= Number(f.from.slice(0, 4)) && year <= Number(f.to.slice(0, 4)) && facts.people[id - 1]!.includes(person)) {
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

/** mulberry32: a small seeded generator, so the reference scan can replay the library's vectors. */
class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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

import type { Db } from '../library/database';
import { dot } from '../ml/vector-math';
import type { VectorTable } from '../library/vector-tables';
import {
  type VectorHit,
  type VectorSource,
  embeddedSince,
  embeddingSignature,
  localVectorWrites,
  readImageVector,
  rowByRowSource,
  shadowChunkSource,
} from '../library/image-vectors';
import {
  type CompactVectors,
  type RowReader,
  buildCompactVectors,
  compactFilePath,
  openCompactVectors,
  quantizeValue,
} from './compact-vectors';
import { Int8Scan } from './int8-scan';

/**
 * The scan behind text search, sized for a million photos. sqlite-vec's vec0 is a brute-force scan
 * with scalar C loops through SQLite's pager, and a float32 copy in memory costs 2 GB per million
 * 512-d vectors (92 ms a query, 12 s to load). So the scan runs over int8 codes (compact-vectors.ts):
 * 512 MB per million, scanned by ONNX Runtime's MatMulInteger (u8 query × s8 codes → int32 scores,
 * + a 0/−∞ mask for a large filter, → TopK; the codes are packed once into one session per 32 MB
 * block, int8-scan.ts),
 * and the top RESCORE candidates are rescored exactly
 * against their full-precision vectors, so the scores returned are the true cosine similarities and
 * recall stays at that of an exact scan (measured ≥ 0.99 at 1M; see bench-search.ts).
 *
 * Binary codes (64 B a vector) were measured too and rejected: on 50,000 vectors, rescoring the
 * best 200 by Hamming distance found 31% of the exact top 50 for uniform random vectors and 96% for
 * CLIP-like ones; the int8 codes found 100% of both (98–99% even without rescoring).
 *
 * A small filtered set (a person in a date range) skips the scan: its candidates' full-precision rows
 * are read and scored directly, so the cost follows the candidates, not the library (from the page
 * cache one by one, from disk many at a time: scoreDirectly).
 *
 * The compact form is persisted beside the database and reused across starts while the signature of
 * photo_embeddings matches; the copy in memory is refreshed when the library changed: `PRAGMA
 * data_version` moves when another connection (the indexer process) commits, `noteVectorWrite` when
 * this one writes; then the cheap signature decides whether this model's vectors actually changed.
 */
export class ImageVectorIndex {
  private constructor(
    /** The scan over this index's codes (null when it has no rows). */
    private readonly scan: Int8Scan | null,
    private readonly compact: CompactVectors,
    /** Row numbers ordered by photo id, and those ids, for binary search from id to row. */
    private readonly rowsById: Uint32Array,
    private readonly sortedIds: Float64Array,
    /** Whether this start read the persisted compact form or had to build it. */
    readonly origin: 'file' | 'built',
    /** The library's signature this index answers for (the file's own, or newer with a delta). */
    readonly signature: string,
    /** Photos embedded since the file was built, scored exactly (and in place of any older vector). */
    private readonly delta: { ids: number[]; vectors: Float32Array[]; members: Set<number> } = { ids: [], vectors: [], members: new Set() },
  ) {
    closeWhenCollected.register(this, { rows: compact.rows, scan }, this);
    this.scanMs = compact.count / 100_000;
  }

  /** Queries reading rows right now: a replaced index closes its file when the last one ends. */
  private busy = 0;
  private retired = false;

  /**
   * Closes the row file now, or when the queries in flight end. Not left to the garbage collector: on
   * Windows an open file cannot be replaced (the next rebuild's rename), and on Linux a replaced
   * 2 GB-per-million file stays on disk while anything holds it.
   */
  close(): void {
    this.retired = true;
    if (this.busy === 0) this.release();
  }

  private release(): void {
    closeWhenCollected.unregister(this);
    this.compact.rows.close();
    // The scan holds the packed codes (~530 MB per million): freed now, not when GC gets to it.
    void Promise.resolve(this.scan?.release()).then(() => this.settleReleased());
  }

  private settleReleased: () => void = () => {};
  /** Settles once close() has closed the file and released the session (after the queries in flight). */
  readonly released = new Promise<void>((resolve) => (this.settleReleased = resolve));

  /** Rows in the compact form (the delta's photos are counted in `deltaSize`). */
  get size(): number {
    return this.compact.count;
  }

  get deltaSize(): number {
    return this.delta.ids.length;
  }

  /** Photo id of each row. */
  get ids(): Float64Array {
    return this.compact.ids;
  }

  /**
   * The k most similar photos among `allowed` (all when absent), best first. Rows outside the
   * allowed set score −∞ and are dropped, so a filter never loses matches to an earlier top-k.
   */
  async nearest(
    query: Float32Array,
    k: number,
    allowed?: readonly number[],
    directLimit = SMALL_CANDIDATE_SET,
    rowReads: RowReads = 'paced',
  ): Promise<VectorHit[]> {
    if (k <= 0) return [];
    this.busy++;
    let base: VectorHit[];
    try {
      base = await this.nearestInBase(query, k, allowed, directLimit, rowReads);
    } finally {
      this.busy--;
      if (this.retired && this.busy === 0) this.release();
    }
    if (this.delta.ids.length === 0) return base;
    const allowedSet = allowed ? new Set(allowed) : null;
    const fresh = this.delta.ids.flatMap((photoId, i) =>
      allowedSet && !allowedSet.has(photoId) ? [] : [{ photoId, score: dot(query, this.delta.vectors[i]!) }],
    );
    return [...base.filter((h) => !this.delta.members.has(h.photoId)), ...fresh]
      .sort((a, b) => b.score - a.score || a.photoId - b.photoId)
      .slice(0, k);
  }

  private async nearestInBase(
    query: Float32Array,
    wanted: number,
    allowed: readonly number[] | undefined,
    directLimit: number,
    rowReads: RowReads,
  ): Promise<VectorHit[]> {
    const n = this.size;
    // Ask for as many more as the delta may replace, so dropping re-embedded photos keeps k.
    const k = wanted + this.delta.ids.length;
    if (n === 0 || !this.scan) return [];
    if (allowed && allowed.length <= directLimit) {
      const direct = await this.scoreDirectly(query, k, [...this.rowsOf(allowed)], rowReads);
      if (direct) return direct;
    }
    const mask = allowed ? this.maskFor(allowed) : null;
    const started = performance.now();
    let candidates: number[];
    try {
      candidates = await this.scan.nearest(this.quantizeQuery(query), Math.min(rescoreCount(k), n), mask?.values ?? null);
    } finally {
      mask?.giveBack();
    }
    this.scanMs = 0.7 * this.scanMs + 0.3 * (performance.now() - started);
    return this.rescore(query, k, candidates);
  }

  /** The full-precision vector of a photo, or undefined when this model has not embedded it. */
  vector(photoId: number): Float32Array | undefined {
    if (this.delta.members.has(photoId)) return this.delta.vectors[this.delta.ids.indexOf(photoId)];
    const at = indexOf(this.sortedIds, photoId);
    if (at < 0) return undefined;
    const vector = new Float32Array(this.compact.dimensions);
    this.compact.rows.read(this.rowsById[at]!, vector);
    return vector;
  }

  /** Cosine similarity of two photos' vectors (unit length), undefined when either has none. */
  similarity(a: number, b: number): number | undefined {
    const va = this.vector(a);
    const vb = va && this.vector(b);
    return vb ? dot(va, vb) : undefined;
  }

  /** The same by row number (0 … size − 1), for sampling. */
  rowSimilarity(a: number, b: number): number {
    const va = new Float32Array(this.compact.dimensions);
    const vb = new Float32Array(this.compact.dimensions);
    this.compact.rows.read(a, va);
    this.compact.rows.read(b, vb);
    return dot(va, vb);
  }

  /** Recent time of one scan (ms, a moving average; first guessed at 10 ms per million rows). */
  private scanMs: number;

  /** Exact cosine scores of these rows (full-precision vectors), best k first. */
  /**
   * Exact cosine scores of the scan's best rows, best k first. Read in parallel (libuv's pool): 200
   * rows out of the page cache took 5 ms instead of 10–24 ms one by one, measured here.
   */
  private async rescore(query: Float32Array, k: number, rows: readonly number[]): Promise<VectorHit[]> {
    const vectors = await this.compact.rows.readMany(rows);
    return rows
      .map((row, i) => ({ photoId: this.compact.ids[row]!, score: dotAt(query, vectors, i * query.length) }))
      .sort((a, b) => b.score - a.score || a.photoId - b.photoId)
      .slice(0, k);
  }

  /**
   * A filter's candidates scored straight from their full-precision rows, or null when a masked scan
   * plus its rescoring would be faster. Each row is one random read of the float file: ~4 µs from the
   * page cache, 50–120 µs from this machine's disk. So the rows are read one by one while they come
   * from the page cache (through libuv's pool a cached row costs several times more), and every
   * DIRECT_PROBE rows the pace is checked: after SLOW_WINDOWS_TO_PARALLEL slow windows in a row
   * (the rows are on disk; a set can be partly cached: the rows an earlier search read) the rest are
   * read in parallel (as many at a time as libuv's pool has threads), which the disk serves several at once. Measured at 1M
   * with 787 candidates out of the page cache: 45 ms one by one, 15-17 ms in parallel, against 23-24 ms
   * for the masked scan and its rescoring, which the previous version fell back to. Only a cold rest
   * larger than what the scan path costs goes to the scan.
   */
  private async scoreDirectly(query: Float32Array, k: number, rows: readonly number[], reads: RowReads): Promise<VectorHit[] | null> {
    const vector = new Float32Array(query.length);
    const hits: VectorHit[] = [];
    let window = performance.now();
    let slowWindows = reads === 'parallel' ? SLOW_WINDOWS_TO_PARALLEL : 0;
    for (let i = 0; i < rows.length; i++) {
      if (i > 0 && i % DIRECT_PROBE === 0) {
        const now = performance.now();
        slowWindows = (now - window) / DIRECT_PROBE > CACHED_ROW_MS ? slowWindows + 1 : 0;
        window = now;
      }
      if (slowWindows >= SLOW_WINDOWS_TO_PARALLEL) {
        const rest = rows.slice(i);
        const scanPath = this.scanMs + MASK_MS + rescoreCount(k) * RESCORED_COLD_ROW_MS;
        if (reads === 'paced' && rest.length * PARALLEL_COLD_ROW_MS > scanPath) return null;
        const vectors = await this.compact.rows.readMany(rest);
        rest.forEach((row, j) => hits.push({ photoId: this.compact.ids[row]!, score: dotAt(query, vectors, j * query.length) }));
        break;
      }
      this.compact.rows.read(rows[i]!, vector);
      hits.push({ photoId: this.compact.ids[rows[i]!]!, score: dotAt(query, vector, 0) });
    }
    return hits.sort((a, b) => b.score - a.score || a.photoId - b.photoId).slice(0, k);
  }

  /**
   * The query in the codes' units: each dimension's scale folded in (code × scale / 127 is the stored
   * value), then quantized to u8 around the zero point 128, which MatMulInteger subtracts.
   */
  private quantizeQuery(query: Float32Array): Uint8Array {
    const scales = this.compact.scales;
    const weighted = Float32Array.from(query, (q, d) => q * scales[d]!);
    let max = 0;
    for (const w of weighted) max = Math.max(max, Math.abs(w));
    return Uint8Array.from(weighted, (w) => 128 + quantizeValue(w, max));
  }

  private rowsOf(allowed: readonly number[]): Set<number> {
    const rows = new Set<number>();
    for (const id of allowed) {
      const at = indexOf(this.sortedIds, id);
      if (at >= 0) rows.add(this.rowsById[at]!);
    }
    return rows;
  }

  /** A −∞ mask kept between filtered scans: 4 MB per million rows not left to the GC at every query. */
  private spareMask: Float32Array | null = null;

  /** 0 for the allowed rows, −∞ elsewhere; giveBack() restores the −∞ and keeps it for the next scan. */
  private maskFor(allowed: readonly number[]): { values: Float32Array; giveBack(): void } {
    const values = this.spareMask ?? new Float32Array(this.size).fill(Number.NEGATIVE_INFINITY);
    this.spareMask = null; // a concurrent filtered query gets its own
    const rows = this.rowsOf(allowed);
    for (const row of rows) values[row] = 0;
    return {
      values,
      giveBack: () => {
        for (const row of rows) values[row] = Number.NEGATIVE_INFINITY;
        this.spareMask = values;
      },
    };
  }

  /** The persisted compact form when it matches the library, else built now (and persisted). */
  static async load(db: Db, table: VectorTable, signature: string): Promise<ImageVectorIndex> {
    const file = compactFilePath(db, table);
    const persisted = file ? openCompactVectors(file, table, null) : null;
    const delta = persisted && persisted.signature !== signature ? deltaSince(db, table, persisted, signature) : null;
    const opened = persisted && (persisted.signature === signature || delta) ? persisted : null;
    if (persisted && !opened) persisted.rows.close();
    const compact = opened ?? buildFromVec0(db, table, signature, file);
    let scan: Int8Scan | null;
    try {
      scan = compact.count > 0 ? await Int8Scan.open(compact) : null;
    } catch (error) {
      compact.rows.close();
      throw error;
    }
    const count = compact.count;
    const rowsById = new Uint32Array(count);
    for (let i = 0; i < count; i++) rowsById[i] = i;
    // vec0 hands out rows in id order unless vectors were replaced; sorting a million with a
    // comparator costs a second of the cold start, checking costs a millisecond.
    const sorted = compact.ids.every((id, i) => i === 0 || compact.ids[i - 1]! < id);
    if (!sorted) rowsById.sort((a, b) => compact.ids[a]! - compact.ids[b]!);
    const index = new ImageVectorIndex(
      scan,
      compact,
      rowsById,
      sorted ? compact.ids : Float64Array.from(rowsById, (r) => compact.ids[r]!),
      opened ? 'file' : 'built',
      signature,
      delta ?? undefined,
    );
    await index.warmUp();
    return index;
  }

  /**
   * Runs both filtered paths once on a handful of rows before the first search does: scored directly
   * (V8 compiles the row-reading and dot-product loops) and by a masked scan (ONNX Runtime's first run
   * with a real mask, the mask's allocation, the parallel rescoring reads). Without it a user's first
   * filtered searches after a start paid for that themselves: measured at 1M, the bench's first
   * filtered queries took about twice the later ones (p50 6.4 ms, p95 12 ms). It costs one scan (~13
   * ms per million rows) and a few row reads at load.
   */
  private async warmUp(): Promise<void> {
    const ids = Array.from(this.compact.ids.subarray(0, WARM_UP_ROWS));
    if (ids.length === 0 || !this.scan) return;
    const query = new Float32Array(this.compact.dimensions).fill(1 / Math.sqrt(this.compact.dimensions));
    await this.nearestInBase(query, 1, ids, ids.length, 'paced');
    await this.nearestInBase(query, 1, ids, 0, 'paced');
  }
}

/** Rows the load-time warm-up scores: enough loop iterations for V8 to optimize the scoring loop. */
const WARM_UP_ROWS = 64;

/** A delta over this many photos (or 5% of the file) is not worth it: the file is rebuilt instead. */
const MAX_DELTA = 10_000;

/**
 * What the library gained since the persisted file was built: photos embedded after the file's latest
 * write, read from vec0 one by one (a point lookup costs ~0.3 ms: fine for a day's new photos, which
 * is why a large delta rebuilds the file instead). Null when the file cannot serve: photos were
 * removed since, or the delta is too large.
 */
function deltaSince(
  db: Db,
  table: VectorTable,
  persisted: CompactVectors,
  signature: string,
): { ids: number[]; vectors: Float32Array[]; members: Set<number> } | null {
  // "count:latest:top", where latest (an ISO time) has colons of its own.
  const builtCount = persisted.signature.slice(0, persisted.signature.indexOf(':'));
  const builtLatest = persisted.signature.slice(persisted.signature.indexOf(':') + 1, persisted.signature.lastIndexOf(':'));
  const count = signature.slice(0, signature.indexOf(':'));
  if (!builtLatest || builtLatest === 'null') return null;
  const ids = embeddedSince(db, table.modelId, builtLatest);
  if (ids.length > Math.max(MAX_DELTA, persisted.count * 0.05)) return null;
  const inFile = new Set<number>();
  const sorted = Float64Array.from(persisted.ids).sort();
  for (const id of ids) if (indexOf(sorted, id) >= 0) inFile.add(id);
  if (Number(builtCount) + ids.length - inFile.size !== Number(count)) return null; // something was removed
  const vectors = ids.map((id) => readImageVector(db, table, id));
  if (vectors.some((v) => !v)) return null;
  return { ids, vectors: vectors as Float32Array[], members: new Set(ids) };
}

/**
 * Candidates rescored exactly per query: int8's score error reorders only the last few of the top k.
 * Each rescored row is one random read of the float file, ~120 µs when it is not in the page cache
 * (measured on this machine), so this count is most of a cold query's cost. Measured recall@50 on
 * 100,000 vectors (40 queries): rescoring 50 / 60 / 75 / 100 found 0.94 / 0.99 / 0.999 / 1.0 of the
 * exact top 50 for CLIP-like vectors and 0.97 / 1.0 / 1.0 / 1.0 for uniform ones; 2k keeps 1.0.
 */
export function rescoreCount(k: number): number {
  return Math.max(2 * k, 100);
}

const closeWhenCollected = new FinalizationRegistry<{ rows: RowReader; scan: Int8Scan | null }>(({ rows, scan }) => {
  rows.close();
  void scan?.release();
});

/**
 * vec0's shadow chunks read whole are fast; if their layout is not the one we know (the count read
 * disagrees with vec0's row count) the portable row-by-row read is used. A library folder where the
 * file cannot be written at all keeps the compact form in memory only (a rename blocked by a reader of
 * the old file is handled inside buildCompactVectors, which then serves from its temporary file).
 */
function buildFromVec0(db: Db, table: VectorTable, signature: string, file: string | null): CompactVectors {
  const build = (source: VectorSource) => {
    try {
      return buildCompactVectors(db, table, signature, file, source);
    } catch (error) {
      if (
        file &&
        (error as NodeJS.ErrnoException).code &&
        ['EACCES', 'EPERM', 'EROFS', 'ENOSPC'].includes((error as NodeJS.ErrnoException).code!)
      ) {
        return buildCompactVectors(db, table, signature, null, source);
      }
      throw error;
    }
  };
  try {
    const fast = build(shadowChunkSource(db, table));
    if (fast.count === fast.expected) return fast;
    fast.rows.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw error; // a file-system failure, not a layout mismatch
  }
  return build(rowByRowSource(db, table));
}

/** The dot product of the query and the vector stored at `at` in `vectors`. */
function dotAt(query: Float32Array, vectors: Float32Array, at: number): number {
  let score = 0;
  for (let d = 0; d < query.length; d++) score += query[d]! * vectors[at + d]!;
  return score;
}

function indexOf(ids: Float64Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * How scoreDirectly reads a filter's rows: 'paced' one by one while they come from the page cache and in
 * parallel once they come from disk (or the masked scan when that is faster); 'parallel' all in
 * parallel from the start, whatever the scan would cost (the tests' way to check that path's results).
 */
export type RowReads = 'paced' | 'parallel';

/**
 * Up to this many allowed photos are scored directly (their rows read) instead of by a masked scan,
 * while their rows read fast enough (scoreDirectly).
 */
const SMALL_CANDIDATE_SET = 5000;
/** Rows between two checks of the reading pace: 8 cached rows take ~30 µs, 8 from disk ~0.5 ms. */
const DIRECT_PROBE = 8;
/**
 * A window slower than this per row came from disk: a row from the page cache, scored, takes 2–5 µs
 * here, from disk 50–120 µs.
 */
const CACHED_ROW_MS = 0.02;
/**
 * Slow windows in a row before the rest of a filter's rows are read in parallel. One is not enough:
 * with every row in the page cache a single window still measured 22–65 µs a row now and then (a GC
 * pause, the process descheduled). Two cost a set on disk 16 rows read one by one (~1 ms).
 */
const SLOW_WINDOWS_TO_PARALLEL = 2;
/**
 * What the two ways of answering a filter from disk cost per row, measured at 1M on this machine (the
 * libuv pool at 32 threads): rows read in parallel ~20 µs each (787 rows: 15–17 ms); the masked scan
 * path is the scan (scanMs), building its mask (~1 ms) and rescoring its best rows read in parallel
 * (100 rows: 2.5–6 ms). With a 13 ms scan, a cold rest of up to ~900 rows is read, a larger one scanned.
 */
const PARALLEL_COLD_ROW_MS = 0.02;
const MASK_MS = 1;
const RESCORED_COLD_ROW_MS = 0.04;

/**
 * Everything this module keeps belongs to one database connection, i.e. one open engine: its loaded
 * indexes, each with its scan session (the own-write counter lives with the writes,
 * library/image-vectors). Two engines in one process share nothing, and Engine.close() releases it all
 * (releaseVectorIndexes).
 */
interface ConnectionState {
  indexes: Map<string, { version: string; index: Promise<ImageVectorIndex> }>;
}
const perConnection = new WeakMap<Db, ConnectionState>();

function stateOf(db: Db): ConnectionState {
  let state = perConnection.get(db);
  if (!state) {
    state = { indexes: new Map() };
    perConnection.set(db, state);
  }
  return state;
}

/** Drops this connection's indexes and releases their scan sessions (Engine.close). */
export async function releaseVectorIndexes(db: Db): Promise<void> {
  const state = perConnection.get(db);
  if (!state) return;
  perConnection.delete(db);
  for (const result of await Promise.allSettled([...state.indexes.values()].map((entry) => entry.index)))
    if (result.status === 'fulfilled') {
      result.value.close();
      await result.value.released;
    }
}

/** The in-memory index of a model's vectors, reloaded only when they changed. */
export async function imageVectorIndex(db: Db, table: VectorTable): Promise<ImageVectorIndex> {
  const perDb = stateOf(db).indexes;
  const version = `${db.pragma('data_version', { simple: true })}:${localVectorWrites(db)}`;
  const cached = perDb.get(table.tableName);
  if (cached && cached.version === version) return cached.index;
  const signature = embeddingSignature(db, table.modelId);
  if (cached && (await cached.index.catch(() => null))?.signature === signature) {
    cached.version = version;
    return cached.index;
  }
  const index = ImageVectorIndex.load(db, table, signature);
  perDb.set(table.tableName, { version, index });
  cached?.index.then((replaced) => replaced.close()).catch(() => undefined);
  index.catch(() => perDb.delete(table.tableName));
  return index;
}

/**
 * Makes sure the persisted compact form matches the library (building it if not) without keeping it:
 * what an indexing run can do at its end so the next search starts from the file. Returns whether it
 * had to build.
 */
export function ensureCompactVectors(db: Db, table: VectorTable): boolean {
  const file = compactFilePath(db, table);
  if (!file) return false;
  const signature = embeddingSignature(db, table.modelId);
  const existing = openCompactVectors(file, table, signature);
  existing?.rows.close();
  if (existing) return false;
  buildFromVec0(db, table, signature, file).rows.close();
  return true;
}

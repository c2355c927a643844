import { BatchMatches, Index, MetricKind, ScalarKind } from 'usearch';

export interface Neighbour {
  id: number;
  similarity: number;
}

/**
 * Up to this many vectors are searched exactly (brute force in JS: deterministic, and cheaper than
 * building a graph). Above it, usearch's HNSW graph answers in sub-millisecond time per query.
 */
export const EXACT_SEARCH_LIMIT = 1000;

/**
 * HNSW settings measured on 100k synthetic faces (2 cores): half-precision storage builds and searches
 * in 16 s instead of 26 s at the same recall (0.76 of the exact 12 nearest, which are mostly the same
 * person anyway), and cosine errors of ~1e-3 do not move any decision.
 */
const HNSW = { connectivity: 12, expansion_add: 40, expansion_search: 48, quantization: ScalarKind.F16 } as const;

/** Part of the saved graph's file name, so a graph saved with other settings is rebuilt, not misread. */
export const GRAPH_FORMAT = 'hnsw-f16';

/**
 * The nearest faces of each face, by cosine similarity of unit embeddings. Keys are face ids.
 * Exact for small libraries; an approximate HNSW graph (usearch) for large ones, which can be saved
 * next to the library so an incremental run only adds and searches the new faces.
 */
export class NeighbourIndex {
  private ids: number[] = [];
  private flat = new Float32Array(0);
  private graph: Index | undefined;

  constructor(
    readonly dimensions: number,
    approximate: boolean,
  ) {
    if (approximate) this.graph = new Index({ dimensions, metric: MetricKind.Cos, multi: false, ...HNSW });
  }

  static forSize(dimensions: number, expectedSize: number): NeighbourIndex {
    return new NeighbourIndex(dimensions, expectedSize > EXACT_SEARCH_LIMIT);
  }

  /** Loads a saved HNSW graph; undefined when the file is missing or unreadable (then rebuild). */
  static load(file: string, dimensions: number): NeighbourIndex | undefined {
    const index = new NeighbourIndex(dimensions, true);
    try {
      index.graph!.load(file);
      return index;
    } catch {
      return undefined;
    }
  }

  get approximate(): boolean {
    return this.graph !== undefined;
  }

  get size(): number {
    return this.graph ? this.graph.size() : this.ids.length;
  }

  save(file: string): void {
    this.graph?.save(file);
  }

  /** Adds (or replaces) vectors; `vectors` is ids.length × dimensions, row-major. */
  add(ids: readonly number[], vectors: Float32Array): void {
    if (ids.length === 0) return;
    if (this.graph) {
      const keys = BigUint64Array.from(ids, (id) => BigInt(id));
      const present = [this.graph.contains(keys)].flat();
      const stale = keys.filter((_, i) => present[i]);
      if (stale.length > 0) this.graph.remove(stale);
      this.graph.add(keys, vectors, 0);
      return;
    }
    const flat = new Float32Array(this.flat.length + vectors.length);
    flat.set(this.flat);
    flat.set(vectors, this.flat.length);
    this.flat = flat;
    this.ids.push(...ids);
  }

  /** The k nearest stored faces of each query row (a stored face finds itself first: callers skip it). */
  search(vectors: Float32Array, k: number): Neighbour[][] {
    const queries = vectors.length / this.dimensions;
    if (queries === 0 || this.size === 0) return Array.from({ length: queries }, () => []);
    return this.graph ? this.searchGraph(vectors, queries, k) : this.searchExact(vectors, queries, k);
  }

  private searchGraph(vectors: Float32Array, queries: number, k: number): Neighbour[][] {
    const found = this.graph!.search(vectors, Math.min(k, this.size), 0);
    // usearch unwraps a batch of one query into a plain Matches.
    const batch = found instanceof BatchMatches ? found : undefined;
    return Array.from({ length: queries }, (_, q) => {
      const matches = batch ? batch.get(q) : found;
      return Array.from(matches.keys, (key, j) => ({ id: Number(key), similarity: 1 - matches.distances[j]! }));
    });
  }

  private searchExact(vectors: Float32Array, queries: number, k: number): Neighbour[][] {
    const d = this.dimensions;
    const stored = this.flat; // a local: V8 keeps a hot loop over a local typed array tight
    const n = this.ids.length;
    const sims = new Float32Array(n);
    const result: Neighbour[][] = [];
    for (let q = 0; q < queries; q++) {
      const query = vectors.subarray(q * d, (q + 1) * d);
      for (let j = 0, base = 0; j < n; j++, base += d) {
        let s0 = 0;
        let s1 = 0;
        for (let t = 0; t + 1 < d; t += 2) {
          s0 += query[t]! * stored[base + t]!;
          s1 += query[t + 1]! * stored[base + t + 1]!;
        }
        if (d % 2 === 1) s0 += query[d - 1]! * stored[base + d - 1]!;
        sims[j] = s0 + s1;
      }
      result.push(topK(sims, Math.min(k, n)).map((j) => ({ id: this.ids[j]!, similarity: sims[j]! })));
    }
    return result;
  }
}

/** Indices of the k largest values, largest first (partial selection; k is small). */
function topK(values: Float32Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (best.length === k && v <= values[best[k - 1]!]!) continue;
    let at = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(i);
    while (at > 0 && values[best[at - 1]!]! < v) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = i;
  }
  return best;
}

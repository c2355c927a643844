import FlatQueue from 'flatqueue';

export interface AverageLinkageOptions {
  /** Two groups merge while the mean similarity over all their cross pairs is at least this. */
  threshold: number;
  /**
   * Each node's unit vector; never written. A group of two or more keeps its sum in a vector of its
   * own, so the caller passes views of the vectors it holds anyway: no copy of all of them (51 MB at
   * 100k faces, which raised the clustering run's peak RSS for good).
   */
  vectors: readonly Float32Array[];
  /** Photo of each node: two faces of one photo are never one person (cannot-link). */
  photoOf: ArrayLike<number>;
  /** Nodes that may not found or join a group (low quality): they stay singletons here. */
  excluded?: (node: number) => boolean;
}

/** The sum of a node that is no longer a group's root. */
const RETIRED = new Float32Array(0);

/**
 * Agglomerative clustering with exact average linkage, honouring cannot-link. Average linkage, unlike
 * single linkage (Immich's core-neighbour chaining), lets no single look-alike pair chain two people
 * together: every pair between the groups votes. The mean over all cross pairs of unit vectors is
 * dot(ΣA, ΣB) / (|A|·|B|), so it is exact at the cost of one dot product per candidate, while the
 * k-nearest-neighbour graph (`edges`) only proposes which groups to compare: no n² pass.
 *
 * Design note (lazy links): the queue holds one entry per proposing edge, keyed by the two nodes it
 * was queued for, and is never re-offered after a merge. This works because the average linkage of
 * A∪B to C is a size-weighted mean of the links of A and of B to C, so it never exceeds the larger of
 * the two: the entries already queued for A–C and B–C are upper bounds. Each popped entry is resolved
 * to the current groups (union-find) and its link recomputed exactly, so no merge ever happens below
 * the threshold. Compared with re-scoring every neighbour of a growing group, this cut clustering of
 * 100k faces from 27 s to a few, and needs no per-node sets of links, which at 100k faces cost
 * hundreds of MB.
 *
 * Merge order: within a sweep, pairs merge in the order of their link *when offered*; a popped pair
 * whose exact link fell but is still at or above the threshold merges then, it is not pushed back
 * behind other pairs. Precision is held by the line (every merge's exact average link is at or above
 * it), and this order keeps more of a person's fragments together. Re-sorting by the fallen link
 * (re-queuing any link that fell by more than 0.02, as before) split people: a postponed merge came
 * up after other merges had changed both groups, and often no longer passed. BCubed F1
 * (`bench/people/flow.ts --cluster-only`, mirror TTA): hard LFW 0.882 → 0.891 (recall 0.830 →
 * 0.849, precision 0.941 → 0.938), LFW-dev 0.980 → 0.982, hard celebs 0.953 and celebs 1.000
 * unchanged. The gain grows with the tolerance (a re-implementation with exact neighbours, hard LFW:
 * 0.02 → 0.883, 0.05 → 0.890, 0.1 → 0.891, none → 0.893), so there is no constant to fit. It also
 * skips every re-queue.
 *
 * No npm package does constrained average linkage this way, hence this file. Returns a group label
 * (a node index) per node; `edges` is a flat list of node pairs (a0, b0, a1, b1, …).
 */
export function averageLinkage(nodeCount: number, edges: Int32Array, options: AverageLinkageOptions): Int32Array {
  const { threshold, vectors, photoOf, excluded } = options;
  // A group's sum: its root's own vector while it is alone, a vector of its own once it has merged.
  const sums = vectors.slice();
  // Sums of groups merged into larger ones, for reuse: at 100k faces a fresh vector for every pair of
  // lone faces left tens of MB of garbage behind, which raised the peak RSS.
  const spare: Float32Array[] = [];
  const parent = Int32Array.from({ length: nodeCount }, (_, i) => i);
  const size = new Float64Array(nodeCount).fill(1);
  // Photos of each group of two or more; a singleton's photo is photoOf[node].
  const photos = new Map<number, Set<number>>();

  const find = (node: number): number => {
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]!]!; // path halving keeps every later find short
      node = parent[node]!;
    }
    return node;
  };
  const linkage = (a: number, b: number): number => {
    const x = sums[a]!;
    const y = sums[b]!;
    let dot = 0;
    for (let t = 0; t < x.length; t++) dot += x[t]! * y[t]!;
    return dot / (size[a]! * size[b]!);
  };
  const photosOf = (group: number): Set<number> => photos.get(group) ?? new Set([photoOf[group]!]);
  const sharesPhoto = (a: number, b: number): boolean => {
    const x = photos.get(a);
    const y = photos.get(b);
    if (!x) return y ? y.has(photoOf[a]!) : photoOf[a] === photoOf[b];
    if (!y) return x.has(photoOf[b]!);
    const [small, large] = x.size <= y.size ? [x, y] : [y, x];
    for (const p of small) if (large.has(p)) return true;
    return false;
  };
  const merge = (a: number, b: number): void => {
    const [keep, gone] = size[a]! >= size[b]! ? [a, b] : [b, a];
    parent[gone] = keep;
    const added = sums[gone]!;
    let sum = sums[keep]!;
    if (sum === vectors[keep]) {
      // Two lone faces: the pair's sum goes into a vector some absorbed group gave up, if any.
      const reused = spare.pop();
      sum = reused ? (reused.set(sum), reused) : Float32Array.from(sum);
    }
    for (let t = 0; t < sum.length; t++) sum[t]! += added[t]!;
    sums[keep] = sum;
    if (added !== vectors[gone]) spare.push(added);
    sums[gone] = RETIRED;
    size[keep]! += size[gone]!;
    const kept = photosOf(keep);
    for (const p of photosOf(gone)) kept.add(p);
    photos.set(keep, kept);
    photos.delete(gone);
  };

  // A pair is one number, a·n + b (exact below 2^53, i.e. for up to 94 million nodes).
  const queue = new FlatQueue<number>();
  /** Queues every proposed pair whose groups link at or above the threshold; returns how many. */
  const offerProposedPairs = (): number => {
    let offered = 0;
    for (const pair of pairs) {
      const first = Math.floor(pair / nodeCount);
      const a = find(first);
      const b = find(pair - first * nodeCount);
      if (a === b) continue;
      const link = linkage(a, b);
      if (link >= threshold && !sharesPhoto(a, b)) {
        queue.push(Math.min(a, b) * nodeCount + Math.max(a, b), -link);
        offered++;
      }
    }
    return offered;
  };
  const mergeQueued = (): void => {
    while (queue.length > 0) {
      const pair = queue.pop()!;
      const first = Math.floor(pair / nodeCount);
      const a = find(first);
      const b = find(pair - first * nodeCount);
      if (a === b) continue;
      const link = linkage(a, b);
      if (link >= threshold && !sharesPhoto(a, b)) merge(a, b);
    }
  };

  const pairs = proposedPairs(nodeCount, edges, excluded);
  // A dropped entry can come back above the threshold once one side absorbs a closer group; each
  // sweep over the proposed pairs (one dot product each) re-offers those, until none is left, so at
  // the end no two groups that the graph connects link at or above the threshold.
  while (offerProposedPairs() > 0) mergeQueued();
  return Int32Array.from({ length: nodeCount }, (_, node) => find(node));
}

/** Each proposed pair once, as min·n + max, skipping self-pairs and excluded nodes. */
function proposedPairs(nodeCount: number, edges: Int32Array, excluded?: (node: number) => boolean): Float64Array {
  const pairs = new Float64Array(edges.length / 2);
  let count = 0;
  for (let e = 0; e + 1 < edges.length; e += 2) {
    const a = edges[e]!;
    const b = edges[e + 1]!;
    if (a === b || excluded?.(a) || excluded?.(b)) continue;
    pairs[count++] = Math.min(a, b) * nodeCount + Math.max(a, b);
  }
  const sorted = pairs.subarray(0, count).sort();
  return sorted.filter((pair, i) => i === 0 || pair !== sorted[i - 1]);
}

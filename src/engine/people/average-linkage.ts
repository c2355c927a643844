import { Heap } from 'heap-js';

export interface AverageLinkageOptions {
  /** Two groups merge while the mean similarity over all their cross pairs is at least this. */
  threshold: number;
  /** Unit vectors, nodeCount × dimensions, row-major. */
  vectors: Float32Array;
  dimensions: number;
  /** Photo of each node: two faces of one photo are never one person (cannot-link). */
  photoOf: ArrayLike<number>;
  /** Nodes that may not found or join a group (low quality): they stay singletons here. */
  excluded?: (node: number) => boolean;
}

interface Candidate {
  link: number;
  a: number;
  b: number;
}

/**
 * A group re-offers all its neighbours only after growing by this factor since it last did. Between
 * times its queued links are slightly stale, which is harmless: every link is recomputed exactly when
 * it reaches the top of the queue, so no merge ever happens below the threshold. Without this, a
 * person with 10,000 faces absorbing them one by one re-scores every neighbour 10,000 times.
 */
const REOFFER_GROWTH = 1.1;

/**
 * A popped link that fell by less than this since it was queued is merged rather than re-queued: the
 * order among near-equal links hardly matters, and re-queuing every slightly stale link made a large
 * group's neighbours cycle through the queue once per face it absorbed.
 */
const STALE_TOLERANCE = 0.02;

/**
 * Agglomerative clustering with exact average linkage, honouring cannot-link. Average linkage, unlike
 * single linkage (Immich's core-neighbour chaining), lets no single look-alike pair chain two people
 * together: every pair between the groups votes. The mean over all cross pairs of unit vectors is
 * dot(ΣA, ΣB) / (|A|·|B|), so it is exact at the cost of one dot product per candidate, while the
 * k-nearest-neighbour graph (`edges`) only proposes which groups to compare: no n² pass, and no guess
 * about pairs the graph never saw. No npm package does constrained average linkage this way, hence
 * this file. Returns a group label (a node index) per node.
 */
export function averageLinkage(nodeCount: number, edges: readonly [number, number][], options: AverageLinkageOptions): Int32Array {
  const { threshold, vectors, dimensions: d, photoOf, excluded } = options;
  const size = new Float64Array(nodeCount).fill(1);
  const offeredAtSize = new Float64Array(nodeCount).fill(1);
  // A singleton's sum is a view of its vector; a group gets its own copy when it first grows.
  const sums: Float32Array[] = Array.from({ length: nodeCount }, (_, i) => vectors.subarray(i * d, (i + 1) * d));
  const ownsSum = new Uint8Array(nodeCount);
  const members: number[][] = Array.from({ length: nodeCount }, (_, i) => [i]);
  const photos: Set<number>[] = Array.from({ length: nodeCount }, (_, i) => new Set([photoOf[i]!]));
  const links: Set<number>[] = Array.from({ length: nodeCount }, () => new Set());
  for (const [a, b] of edges) {
    if (a === b || excluded?.(a) || excluded?.(b)) continue;
    links[a]!.add(b);
    links[b]!.add(a);
  }

  const linkage = (a: number, b: number): number => {
    const x = sums[a]!;
    const y = sums[b]!;
    let dot = 0;
    for (let t = 0; t < d; t++) dot += x[t]! * y[t]!;
    return dot / (size[a]! * size[b]!);
  };
  const heap = new Heap<Candidate>((x, y) => y.link - x.link);
  const offer = (a: number, b: number): void => {
    const link = linkage(a, b);
    if (link >= threshold) heap.push({ link, a, b });
  };
  for (let a = 0; a < nodeCount; a++) for (const b of links[a]!) if (a < b) offer(a, b);

  for (let top = heap.pop(); top; top = heap.pop()) {
    const { a, b } = top;
    if (!links[a]!.has(b)) continue; // one side was merged away, or the pair cannot link
    const link = linkage(a, b);
    if (link < top.link - STALE_TOLERANCE) {
      if (link >= threshold) heap.push({ link, a, b });
      continue;
    }
    if (sharesPhoto(photos[a]!, photos[b]!)) {
      links[a]!.delete(b);
      links[b]!.delete(a);
      continue;
    }
    const [keep, gone] = members[a]!.length >= members[b]!.length ? [a, b] : [b, a];
    const newNeighbours = mergeInto(keep, gone);
    if (size[keep]! >= offeredAtSize[keep]! * REOFFER_GROWTH) {
      offeredAtSize[keep] = size[keep]!;
      for (const other of links[keep]!) offer(keep, other);
    } else {
      for (const other of newNeighbours) offer(keep, other);
    }
  }

  /** Merges `gone` into `keep`; returns the neighbours `keep` did not have before. */
  function mergeInto(keep: number, gone: number): number[] {
    links[keep]!.delete(gone);
    const added: number[] = [];
    for (const other of links[gone]!) {
      if (other === keep) continue;
      if (!links[keep]!.has(other)) added.push(other);
      links[keep]!.add(other);
      links[other]!.delete(gone);
      links[other]!.add(keep);
    }
    links[gone]!.clear();
    const sum = ownsSum[keep] ? sums[keep]! : Float32Array.from(sums[keep]!);
    ownsSum[keep] = 1;
    const add = sums[gone]!;
    for (let t = 0; t < d; t++) sum[t]! += add[t]!;
    sums[keep] = sum;
    size[keep]! += size[gone]!;
    for (const p of photos[gone]!) photos[keep]!.add(p);
    for (const m of members[gone]!) members[keep]!.push(m);
    members[gone] = [];
    return added;
  }

  const label = new Int32Array(nodeCount);
  members.forEach((group, root) => group.forEach((node) => (label[node] = root)));
  return label;
}

function sharesPhoto(x: Set<number>, y: Set<number>): boolean {
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  for (const p of small) if (large.has(p)) return true;
  return false;
}

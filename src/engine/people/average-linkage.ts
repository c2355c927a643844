import { Heap } from 'heap-js';

export interface SimilarityEdge {
  a: number;
  b: number;
  similarity: number;
}

export interface AverageLinkageOptions {
  /** Two groups merge while the mean similarity over all their cross pairs is at least this. */
  threshold: number;
  /**
   * The similarity assumed for a cross pair that no neighbour list contains: such faces were not
   * among each other's nearest, so they are counted as typical strangers (p_diff's mean).
   */
  missingSimilarity: number;
  /**
   * At most this many unseen pairs count as strangers. Between small groups every pair is counted
   * (exact average linkage); between large ones most pairs are unseen only because each face keeps k
   * neighbours, and counting them all would split a person with hundreds of photos into pieces.
   */
  maxMissingPairs: number;
  /** Photo of each node: two faces of one photo are never one person (cannot-link). */
  photoOf: ArrayLike<number>;
  /** Nodes that may not found or join a group (low quality): they stay singletons here. */
  excluded?: (node: number) => boolean;
}

interface Candidate {
  link: number;
  a: number;
  b: number;
  versionA: number;
  versionB: number;
}

/**
 * Agglomerative clustering with average linkage over a sparse similarity graph (k nearest neighbours),
 * honouring cannot-link. Average linkage, unlike single linkage (Immich's core-neighbour chaining),
 * lets no single look-alike pair chain two people together: every pair between the groups votes.
 * No npm package does constrained sparse average linkage, hence this file. Returns a group label per node.
 */
export function averageLinkage(nodeCount: number, edges: readonly SimilarityEdge[], options: AverageLinkageOptions): Int32Array {
  const { threshold, missingSimilarity, maxMissingPairs, photoOf, excluded } = options;
  const size = new Float64Array(nodeCount).fill(1);
  const version = new Int32Array(nodeCount);
  const members: number[][] = Array.from({ length: nodeCount }, (_, i) => [i]);
  const photos: Set<number>[] = Array.from({ length: nodeCount }, (_, i) => new Set([photoOf[i]!]));
  const links: Map<number, { sum: number; count: number }>[] = Array.from({ length: nodeCount }, () => new Map());

  for (const { a, b, similarity } of edges) {
    if (a === b || excluded?.(a) || excluded?.(b) || links[a]!.has(b)) continue;
    links[a]!.set(b, { sum: similarity, count: 1 });
    links[b]!.set(a, { sum: similarity, count: 1 });
  }

  const linkage = (a: number, b: number): number => {
    const l = links[a]!.get(b)!;
    const missing = Math.min(maxMissingPairs, size[a]! * size[b]! - l.count);
    return (l.sum + missing * missingSimilarity) / (l.count + missing);
  };
  const heap = new Heap<Candidate>((x, y) => y.link - x.link);
  const offer = (a: number, b: number): void => {
    const link = linkage(a, b);
    if (link >= threshold) heap.push({ link, a, b, versionA: version[a]!, versionB: version[b]! });
  };
  for (let a = 0; a < nodeCount; a++) for (const b of links[a]!.keys()) if (a < b) offer(a, b);

  for (let top = heap.pop(); top; top = heap.pop()) {
    const { a, b } = top;
    if (version[a] !== top.versionA || version[b] !== top.versionB || !links[a]!.has(b)) continue;
    if (sharesPhoto(photos[a]!, photos[b]!)) continue;
    const [keep, gone] = members[a]!.length >= members[b]!.length ? [a, b] : [b, a];
    mergeInto(keep, gone);
    for (const other of links[keep]!.keys()) offer(keep, other);
  }

  function mergeInto(keep: number, gone: number): void {
    links[keep]!.delete(gone);
    links[gone]!.delete(keep);
    for (const [other, l] of links[gone]!) {
      const existing = links[keep]!.get(other);
      const merged = existing ? { sum: existing.sum + l.sum, count: existing.count + l.count } : { ...l };
      links[keep]!.set(other, merged);
      links[other]!.delete(gone);
      links[other]!.set(keep, merged);
    }
    links[gone]!.clear();
    size[keep]! += size[gone]!;
    for (const p of photos[gone]!) photos[keep]!.add(p);
    for (const m of members[gone]!) members[keep]!.push(m);
    members[gone] = [];
    version[keep]!++;
    version[gone]!++;
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

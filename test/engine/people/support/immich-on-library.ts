import { immichClustering } from '../../../../bench/people/immich-baseline';
import { NeighbourIndex } from '../../../../src/engine/people/neighbour-index';

/**
 * Immich's algorithm on the same embeddings. It searches the whole library within its radius, so it
 * gets 50 neighbours (more than Facet's 12) to be judged on its algorithm, not on a short list.
 */
export function immichLabels(embeddings: readonly ArrayLike<number>[]): (number | null)[] {
  const dimensions = embeddings[0]?.length ?? 0;
  const flat = new Float32Array(embeddings.length * dimensions);
  embeddings.forEach((e, i) => flat.set(e, i * dimensions));
  const index = NeighbourIndex.forSize(dimensions, embeddings.length);
  index.add(
    embeddings.map((_, i) => i),
    flat,
  );
  return immichClustering(index.search(flat, 50));
}

import type { Db } from '../library/database';
import { loadFaceVectors, type PackedVectors } from '../library/face-vectors';
import { adaptedById, type LearnedAdapter } from './library-adapter';
import type { Neighbour } from './neighbour-index';
import { dot } from '../ml/vector-math';

/**
 * Re-scores, with the library's learned adapter, each face's similarity to the neighbours that belong
 * to a named person: the adapter sharpens decisions about the user's own people only. Neighbours are
 * still found on the frozen embeddings (the on-disk graph stays valid), and similarities among unnamed
 * faces (clusters of strangers) are left as the embedder made them. The caller scores the re-scored
 * similarities with the adapter's own p_same / p_diff.
 */
export function rescoreNamedNeighbours(
  db: Db,
  modelId: string,
  learned: LearnedAdapter,
  neighbours: Map<number, Neighbour[]>,
  vectors: Map<number, Float32Array>,
  namedFaces: ReadonlySet<number>,
): void {
  const wanted = new Set<number>();
  for (const list of neighbours.values()) for (const n of list) if (namedFaces.has(n.id) && !vectors.has(n.id)) wanted.add(n.id);
  const loaded = loadFaceVectors(db, modelId, [...wanted]);
  const own: PackedVectors = {
    ids: [...neighbours.keys()].filter((id) => vectors.has(id)),
    dimensions: loaded.dimensions || learned.adapter.dimensions,
    flat: new Float32Array(0),
  };
  own.flat = new Float32Array(own.ids.length * own.dimensions);
  own.ids.forEach((id, i) => own.flat.set(vectors.get(id)!, i * own.dimensions));
  const adapted = new Map([...adaptedById(learned, own), ...adaptedById(learned, loaded)]);
  for (const [faceId, list] of neighbours) {
    const a = adapted.get(faceId);
    if (!a) continue;
    neighbours.set(
      faceId,
      list.map((n) => {
        const b = namedFaces.has(n.id) ? adapted.get(n.id) : undefined;
        return b ? { id: n.id, similarity: dot(a, b) } : n;
      }),
    );
  }
}

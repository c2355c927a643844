import type { Neighbour } from '../../src/engine/people/neighbour-index';

export interface ImmichParams {
  /** Cosine distance within which two faces are neighbours (Immich's default 0.5). */
  maxDistance: number;
  /** Neighbours (the face itself included) that make a face a core face (Immich's default 3). */
  minFaces: number;
}

export const IMMICH_DEFAULTS: ImmichParams = { maxDistance: 0.5, minFaces: 3 };

/**
 * Immich's incremental face clustering (server `person.service.ts`, handleRecognizeFaces), as the
 * benchmark's baseline on the same embeddings: a face with at least `minFaces` neighbours within
 * `maxDistance` is core and founds a person unless a neighbour already has one; other faces join the
 * person of their nearest neighbour that has one, or wait for the deferred second pass.
 * `neighbours[i]` lists face i's nearest faces (itself included), nearest first, by index.
 */
export function immichClustering(neighbours: readonly Neighbour[][], params: ImmichParams = IMMICH_DEFAULTS): (number | null)[] {
  const person: (number | null)[] = neighbours.map(() => null);
  let nextPerson = 0;
  const recognise = (i: number, deferred: boolean): boolean => {
    const near = neighbours[i]!.filter((n) => 1 - n.similarity <= params.maxDistance);
    const isCore = near.length >= params.minFaces;
    if (!isCore && !deferred) return false;
    const matched =
      near.slice(0, params.minFaces).find((n) => person[n.id] !== null) ?? near.find((n) => n.id !== i && person[n.id] !== null);
    if (matched) person[i] = person[matched.id]!;
    else if (isCore) person[i] = nextPerson++;
    return true;
  };
  const waiting = neighbours.map((_, i) => i).filter((i) => !recognise(i, false));
  for (const i of waiting) recognise(i, true);
  return person;
}

import type { Db } from '../library/database';
import { refitDistanceModel, type DistanceModel } from './distance-model';
import { loadFaceVectors, row } from '../library/face-vectors';
import { dot } from '../ml/vector-math';
import { coPhotoFaceSample, confirmedFaceSample } from '../library/people-store';

/** Enough pairs to fit two moments well, few enough to stay fast in a 100k-face library. */
const MAX_PAIRS = 4000;
const MAX_FACES_PER_SIDE = 600;

/**
 * The distance model refitted on this library's own evidence: p_same on pairs of faces the user
 * confirmed within one person, p_diff on cannot-link pairs (two faces of one photo) and on pairs
 * across different named people. Each side keeps the prior until it has enough pairs. Cannot-link
 * pairs count only between faces whose evidence counts fully (FULL_EVIDENCE_QUALITY): tiny background faces would
 * otherwise widen p_diff with noise and make every real match look less certain.
 */
export function libraryDistanceModel(db: Db, modelId: string, prior: DistanceModel, minQuality: number): DistanceModel {
  const confirmed = confirmedFaceSample(db, modelId, MAX_FACES_PER_SIDE);
  const coPhoto = coPhotoFaceSample(db, modelId, minQuality, MAX_FACES_PER_SIDE / 2);
  const vectors = loadFaceVectors(db, modelId, [...new Set([...confirmed.map((f) => f.id), ...coPhoto.map((f) => f.id)])]);
  const at = new Map(vectors.ids.map((id, i) => [id, i]));
  const similarity = (a: number, b: number): number | undefined => {
    const i = at.get(a);
    const j = at.get(b);
    return i === undefined || j === undefined ? undefined : dot(row(vectors, i), row(vectors, j));
  };

  const same: number[] = [];
  const diff: number[] = [];
  const add = (list: number[], value: number | undefined): void => {
    if (value !== undefined && list.length < MAX_PAIRS) list.push(value);
  };
  for (let i = 0; i < confirmed.length; i++) {
    for (let j = i + 1; j < confirmed.length; j++) {
      const [a, b] = [confirmed[i]!, confirmed[j]!];
      if (a.personId === b.personId) add(same, similarity(a.id, b.id));
      else if (a.named && b.named) add(diff, similarity(a.id, b.id));
    }
  }
  for (let i = 0; i < coPhoto.length; i++) {
    for (let j = i + 1; j < coPhoto.length && coPhoto[j]!.photoId === coPhoto[i]!.photoId; j++)
      add(diff, similarity(coPhoto[i]!.id, coPhoto[j]!.id));
  }
  return refitDistanceModel(prior, same, diff);
}

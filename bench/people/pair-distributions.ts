import { fitGaussian, type Gaussian } from '../../src/engine/people/distance-model';

export interface PairDistributions {
  same: Gaussian & { pairs: number };
  diff: Gaussian & { pairs: number };
}

/**
 * Offline priors for a model (the manifest's `priors`): normal fits of the cosine similarity of every
 * same-identity pair and of every different-identity pair among labelled faces. `diffStride` keeps
 * every n-th different pair (there are millions; a regular stride is unbiased and reproducible).
 */
export function measurePairDistributions(
  faces: readonly { identity: string; embedding: ArrayLike<number> }[],
  diffStride = 20,
): PairDistributions {
  const same: number[] = [];
  const diff: number[] = [];
  let diffSeen = 0;
  for (let i = 0; i < faces.length; i++) {
    const a = faces[i]!;
    for (let j = i + 1; j < faces.length; j++) {
      const b = faces[j]!;
      const isSame = a.identity === b.identity;
      if (!isSame && diffSeen++ % diffStride !== 0) continue;
      let s = 0;
      for (let d = 0; d < a.embedding.length; d++) s += a.embedding[d]! * b.embedding[d]!;
      (isSame ? same : diff).push(s);
    }
  }
  return { same: { ...fitGaussian(same), pairs: same.length }, diff: { ...fitGaussian(diff), pairs: diff.length } };
}

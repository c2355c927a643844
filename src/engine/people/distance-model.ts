/**
 * How cosine similarities between two faces are distributed when they are the same person (p_same)
 * and when they are not (p_diff), for one embedding model. Each is a normal distribution over the
 * cosine similarity: on MobileFaceNet's LFW pairs both are unimodal and near-symmetric, and two
 * moments are all a few dozen user confirmations can estimate reliably.
 */
export interface Gaussian {
  mean: number;
  std: number;
}

export interface DistanceModel {
  same: Gaussian;
  diff: Gaussian;
  /** Where this model came from: offline priors, or refitted on this library's own pairs. */
  source: 'prior' | 'library';
  /** How many pairs each side was fitted on (0 for the priors' side when not refitted). */
  samePairs: number;
  diffPairs: number;
}

/** A std below this would make a handful of near-duplicate pairs claim impossible certainty. */
const MIN_STD = 0.03;

export function fitGaussian(values: readonly number[]): Gaussian {
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, std: Math.max(MIN_STD, Math.sqrt(variance)) };
}

function logDensity({ mean, std }: Gaussian, x: number): number {
  return -0.5 * ((x - mean) / std) ** 2 - Math.log(std);
}

/**
 * log(p_same(s) / p_diff(s)). `weight` < 1 tempers the evidence of a poor face (blurred, tiny,
 * profile): its similarity says less, so its likelihood ratio is pulled toward 1.
 */
export function logLikelihoodRatio(model: DistanceModel, similarity: number, weight = 1): number {
  return weight * (logDensity(model.same, similarity) - logDensity(model.diff, similarity));
}

/** confidence = p_same(s) / (p_same(s) + p_diff(s)): the Bayes rule with even odds. */
export function pairConfidence(model: DistanceModel, similarity: number, weight = 1): number {
  return 1 / (1 + Math.exp(-logLikelihoodRatio(model, similarity, weight)));
}

/**
 * The similarity between the two means where π·p_same = (1−π)·p_diff: the "same person" line used as
 * the clustering threshold instead of a constant tuned to one photo set. With π = 0.5 it is where
 * p_same = p_diff.
 */
export function decisionSimilarity(model: DistanceModel, priorSame = 0.5): number {
  const priorLogOdds = Math.log(priorSame / (1 - priorSame));
  let low = model.diff.mean;
  let high = model.same.mean;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (logLikelihoodRatio(model, mid) + priorLogOdds > 0) high = mid;
    else low = mid;
  }
  return (low + high) / 2;
}

/**
 * Refits each side on the library's own pairs when it has enough of them, else keeps the prior side.
 * `minPairs` guards against a user's first three confirmations redefining the model.
 */
export function refitDistanceModel(
  prior: DistanceModel,
  samePairs: readonly number[],
  diffPairs: readonly number[],
  minPairs = 30,
): DistanceModel {
  const refitSame = samePairs.length >= minPairs;
  const refitDiff = diffPairs.length >= minPairs;
  if (!refitSame && !refitDiff) return prior;
  return {
    same: refitSame ? fitGaussian(samePairs) : prior.same,
    diff: refitDiff ? fitGaussian(diffPairs) : prior.diff,
    source: 'library',
    samePairs: refitSame ? samePairs.length : prior.samePairs,
    diffPairs: refitDiff ? diffPairs.length : prior.diffPairs,
  };
}

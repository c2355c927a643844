import type { ImageVectorIndex } from './vector-index';

export interface SimilaritySpread {
  /** Similarities at or above this confirm a hash candidate. */
  threshold: number;
  /** Random pairs the threshold was measured on. */
  pairs: number;
}

/** Below this many embedded photos there is no spread to measure, and embeddings confirm nothing. */
export const MIN_PHOTOS_FOR_SPREAD = 50;
const SAMPLE_PAIRS = 20_000;
/**
 * One unrelated pair in a thousand looks this similar to this model. A hash candidate (6–11 bits
 * apart) is itself a rare event among unrelated photos, so requiring both keeps false groups to about
 * one in a thousand of those rare candidates.
 */
const UNRELATED_QUANTILE = 0.999;

/**
 * How similar unrelated photos look to the active model in this library: the 99.9th percentile of
 * the cosine similarity of random pairs of its photos that `unrelated` accepts (the caller excludes
 * pairs whose hashes are close: in a small library the duplicates themselves would otherwise be a
 * visible share of the sample and raise the bar above them). A fixed cosine cannot
 * serve every model: the tests' 8-d colour model puts most photos above 0.95, a real CLIP ViT-B/32
 * puts unrelated photos around 0.4–0.6. Seeded, so the same library gives the same groups.
 */
export function measureSpread(index: ImageVectorIndex, unrelated: (photoA: number, photoB: number) => boolean): SimilaritySpread | null {
  const n = index.size;
  if (n < MIN_PHOTOS_FOR_SPREAD) return null;
  const wanted = Math.min(SAMPLE_PAIRS, (n * (n - 1)) / 2);
  let state = 0x9e3779b9;
  const next = () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state;
  };
  const similarities: number[] = [];
  for (let attempt = 0; attempt < wanted * 4 && similarities.length < wanted; attempt++) {
    const a = next() % n;
    let b = next() % n;
    if (b === a) b = (b + 1) % n;
    if (unrelated(index.ids[a]!, index.ids[b]!)) similarities.push(index.rowSimilarity(a, b));
  }
  if (similarities.length < MIN_PHOTOS_FOR_SPREAD) return null;
  similarities.sort((x, y) => x - y);
  const pairs = similarities.length;
  return { threshold: similarities[Math.min(pairs - 1, Math.floor(UNRELATED_QUANTILE * pairs))]!, pairs };
}

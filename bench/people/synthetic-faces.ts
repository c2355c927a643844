import { seededRandom } from '../seeded-random';

/**
 * Synthetic face embeddings with the spread of real ones, for speed benchmarks at 100k faces:
 * identities are random unit directions in 128-d (strangers then have cosine ≈ N(0, 0.09), as
 * MobileFaceNet's LFW strangers do, N(0.02, 0.10)); a face is its identity plus isotropic noise of
 * norm 0.82, which puts same-person cosine near 0.6, LFW's measured mean. Photo sizes follow a family
 * album: Zipf-like people (a few with hundreds of photos, most with a handful), 1-4 faces per photo.
 */
export interface SyntheticFace {
  identity: number;
  photo: number;
  embedding: Float32Array;
  quality: number;
}

const DIMENSIONS = 128;
const NOISE_NORM = 0.82;

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

function normalise(v: Float32Array, length = 1): Float32Array {
  let sum = 0;
  for (let d = 0; d < v.length; d++) sum += v[d]! * v[d]!;
  const factor = length / Math.sqrt(sum);
  for (let d = 0; d < v.length; d++) v[d]! *= factor;
  return v;
}

function unitVector(random: () => number, length = 1): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  for (let d = 0; d < DIMENSIONS; d++) v[d] = gaussian(random);
  return normalise(v, length);
}

export function syntheticFaces(count: number, seed = 1, firstPhoto = 1): SyntheticFace[] {
  return [...syntheticFaceStream(count, seed, firstPhoto)];
}

/** The same faces one at a time, for callers that must not hold 100k of them at once. */
export function* syntheticFaceStream(count: number, seed = 1, firstPhoto = 1): Generator<SyntheticFace> {
  const random = seededRandom(seed);
  const identities = Math.max(2, Math.round(count / 40));
  const centres = Array.from({ length: identities }, () => unitVector(random));
  // Zipf weights (s = 1): identity i appears with probability ∝ 1/(i+1).
  const weights = centres.map((_, i) => 1 / (i + 1));
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative[cumulative.length - 1]!;
  const pickIdentity = (): number => {
    const r = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < r) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  let made = 0;
  let photo = firstPhoto;
  while (made < count) {
    const inPhoto = new Set<number>();
    const size = Math.min(count - made, identities, 1 + Math.floor(random() * random() * 4)); // distinct people per photo
    while (inPhoto.size < size) inPhoto.add(pickIdentity());
    for (const identity of inPhoto) {
      const noise = unitVector(random, NOISE_NORM);
      const centre = centres[identity]!;
      for (let d = 0; d < DIMENSIONS; d++) noise[d]! += centre[d]!;
      made++;
      yield { identity, photo, embedding: normalise(noise), quality: 0.2 + 0.8 * random() };
    }
    photo++;
  }
}

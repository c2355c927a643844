/** Dot product of two equal-length vectors; for unit vectors this is the cosine similarity. */
export function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[bOffset + i]!;
  return sum;
}

/** Unit-length copy of the mean of some unit vectors: a person's prototype. */
export function normalisedMean(vectors: readonly Float32Array[]): Float32Array {
  const dimensions = vectors[0]?.length ?? 0;
  const mean = new Float32Array(dimensions);
  for (const v of vectors) for (let i = 0; i < dimensions; i++) mean[i]! += v[i]!;
  const norm = Math.hypot(...mean) || 1;
  for (let i = 0; i < dimensions; i++) mean[i]! /= norm;
  return mean;
}

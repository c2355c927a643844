/**
 * k-reciprocal neighbourhood similarity (Zhong et al. 2017, "Re-ranking person re-identification with
 * k-reciprocal encoding"), on a dense cosine matrix of a cached set (a few thousand faces: an experiment,
 * not the product). Two photos of one person that the embedder scores only moderately alike often share
 * the same reciprocal neighbours; a look-alike stranger's neighbourhood is somebody else's.
 */

/** Row-major n×n cosine similarities of unit vectors. */
export function cosineMatrix(vectors: readonly Float32Array[]): Float32Array {
  const n = vectors.length;
  const s = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let dot = 0;
      const a = vectors[i]!;
      const b = vectors[j]!;
      for (let t = 0; t < a.length; t++) dot += a[t]! * b[t]!;
      s[i * n + j] = dot;
      s[j * n + i] = dot;
    }
  }
  return s;
}

/** The k most similar others of every row (self excluded), most similar first. */
export function nearest(s: Float32Array, n: number, k: number): Int32Array[] {
  return Array.from({ length: n }, (_, i) => {
    const row = s.subarray(i * n, (i + 1) * n);
    const best: number[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i || (best.length === k && row[j]! <= row[best[k - 1]!]!)) continue;
      if (best.length < k) best.push(j);
      let at = best.length - 1;
      while (at > 0 && row[best[at - 1]!]! < row[j]!) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = j;
    }
    return Int32Array.from(best);
  });
}

/**
 * 1 − Jaccard distance of the k-reciprocal encodings, dense n×n: each face's reciprocal set (faces in
 * its k1 nearest that have it in theirs, expanded by the reciprocal sets of its members when they
 * mostly agree), weighted by exp(−‖a−b‖²), then averaged over its k2 nearest (local query expansion).
 */
export function kReciprocalSimilarity(s: Float32Array, n: number, k1: number, k2: number): Float32Array {
  // Self at rank 0, as in the paper: a face is in its own reciprocal set.
  const order = nearest(s, n, k1).map((row, i) => Int32Array.from([i, ...row]));
  const reciprocal = (i: number, k: number): number[] => {
    const forward = order[i]!.subarray(0, k + 1);
    return [...forward].filter((j) => order[j]!.subarray(0, k + 1).includes(i));
  };
  const half = Math.round(k1 / 2);
  let encodings = Array.from({ length: n }, (_, i) => {
    const base = reciprocal(i, k1);
    const expanded = new Set(base);
    for (const c of base) {
      const candidate = reciprocal(c, half);
      if (candidate.filter((x) => base.includes(x)).length > (2 / 3) * candidate.length) candidate.forEach((x) => expanded.add(x));
    }
    const weights = new Map([...expanded].map((j) => [j, Math.exp(-(2 - 2 * s[i * n + j]!))]));
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    for (const [j, w] of weights) weights.set(j, w / total);
    return weights;
  });
  if (k2 > 1) {
    encodings = encodings.map((_, i) => {
      const mean = new Map<number, number>();
      for (const q of order[i]!.subarray(0, k2)) for (const [j, w] of encodings[q]!) mean.set(j, (mean.get(j) ?? 0) + w / k2);
      return mean;
    });
  }
  const holders = Array.from({ length: n }, () => [] as number[]);
  encodings.forEach((e, i) => e.forEach((_, j) => holders[j]!.push(i)));
  const similarity = new Float32Array(n * n);
  const shared = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    shared.fill(0);
    for (const [j, w] of encodings[i]!) for (const r of holders[j]!) shared[r]! += Math.min(w, encodings[r]!.get(j)!);
    for (let r = 0; r < n; r++) similarity[i * n + r] = shared[r]! / (2 - shared[r]!);
  }
  return similarity;
}

/**
 * The per-library adapter: a linear map W (d×d, starting at the identity) applied to the frozen face
 * embeddings, z = W·x / |W·x|, trained on the user's own evidence with an ArcFace-style additive
 * angular margin (Deng et al. 2019): each confirmed face must sit closer to its person's centre than
 * to any other person's, by an angle m. Cannot-links (two faces of one photo) are pushed below a
 * similarity ceiling. A penalty λ‖W − I‖² keeps W near the identity, so faces of people the user never
 * named keep the geometry the embedder learned.
 *
 * Hand-written: onnxruntime-node runs models but cannot train them, and the npm training libraries
 * (TensorFlow.js and the like) are tens of megabytes for what is one matrix, a few hundred class
 * centres and 20 full-batch Adam steps over at most a few thousand faces. The gradients below are
 * the closed forms of the loss; test/people/adapter.test.ts checks them against finite differences.
 */
export interface AdapterOptions {
  /** Additive angular margin m, radians. */
  margin: number;
  /** Logit scale s. */
  scale: number;
  /** Weight of λ‖W − I‖². */
  identityPenalty: number;
  /** Cannot-link pairs are penalised above this cosine similarity. */
  cannotLinkCeiling: number;
  epochs: number;
  learningRate: number;
}

export const DEFAULT_ADAPTER_OPTIONS: AdapterOptions = {
  margin: 0.5,
  scale: 16,
  identityPenalty: 0.05,
  cannotLinkCeiling: 0.2,
  // 20 steps at 0.02 learn what 40 at 0.01 did (held-out hard LFW, 3 faces of 430 people: top-1
  // 0.9339 vs 0.9335, d′ 3.816 vs 3.814; LFW-dev, 5 of 218: d′ 5.52 vs 5.51) in half the time.
  epochs: 20,
  learningRate: 0.02,
};

export interface AdapterTrainingSet {
  dimensions: number;
  /** Unit embeddings of the confirmed faces, row-major. */
  vectors: Float32Array;
  /** Person index (0..people-1) of each confirmed face. */
  labels: Int32Array;
  people: number;
  /** Pairs of rows that are two different people (faces of one photo), by row index into `cannotVectors`. */
  cannotVectors?: Float32Array;
  cannotPairs?: Int32Array;
}

/** d×d row-major weights of a trained adapter. */
export interface AdapterWeights {
  dimensions: number;
  weights: Float32Array;
}

export function identityAdapter(dimensions: number): AdapterWeights {
  const weights = new Float32Array(dimensions * dimensions);
  for (let i = 0; i < dimensions; i++) weights[i * dimensions + i] = 1;
  return { dimensions, weights };
}

/** z = W·x / |W·x| for each row of `vectors`. */
export function adaptVectors(adapter: AdapterWeights, vectors: Float32Array): Float32Array {
  const d = adapter.dimensions;
  const out = new Float32Array(vectors.length);
  const w = adapter.weights;
  for (let r = 0; r * d < vectors.length; r++) {
    const o = r * d;
    let norm = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      const wi = i * d;
      for (let j = 0; j < d; j++) s += w[wi + j]! * vectors[o + j]!;
      out[o + i] = s;
      norm += s * s;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < d; i++) out[o + i]! /= norm;
  }
  return out;
}

/** The loss and its gradients (for W and the class centres) at the current parameters. */
export function adapterLoss(
  set: AdapterTrainingSet,
  w: Float32Array,
  centres: Float32Array,
  options: AdapterOptions,
  /** Per face, the people its softmax runs over (its own included); all people when omitted. */
  candidates?: readonly Int32Array[],
): { loss: number; gradW: Float32Array; gradCentres: Float32Array } {
  const d = set.dimensions;
  const n = set.labels.length;
  const { margin, scale } = options;
  const gradW = new Float32Array(d * d);
  const gradCentres = new Float32Array(centres.length);
  const unitCentres = new Float32Array(centres.length);
  const centreNorms = new Float32Array(set.people);
  for (let k = 0; k < set.people; k++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += centres[k * d + i]! ** 2;
    centreNorms[k] = Math.sqrt(s) || 1;
    for (let i = 0; i < d; i++) unitCentres[k * d + i] = centres[k * d + i]! / centreNorms[k]!;
  }
  const gradUnitCentres = new Float32Array(centres.length);
  const cosM = Math.cos(margin);
  const sinM = Math.sin(margin);
  const threshold = Math.cos(Math.PI - margin);
  const fallback = Math.sin(Math.PI - margin) * margin;
  let loss = 0;
  const u = new Float32Array(d);
  const z = new Float32Array(d);
  const gz = new Float32Array(d);
  const logits = new Float64Array(set.people);

  /** Forward z = Wx/|Wx|; returns |Wx|. */
  const forward = (x: Float32Array, offset: number): number => {
    let norm = 0;
    for (let i = 0, wi = 0; i < d; i++, wi += d) {
      const s = dotAt(w, wi, x, offset, d);
      u[i] = s;
      norm += s * s;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < d; i++) z[i] = u[i]! / norm;
    return norm;
  };
  /** Accumulates dL/dW from dL/dz at the current z: g_u = (g_z − (g_z·z) z) / |u|, dW += g_u xᵀ. */
  const backward = (x: Float32Array, offset: number, norm: number, weight: number): void => {
    let gzz = 0;
    for (let i = 0; i < d; i++) gzz += gz[i]! * z[i]!;
    for (let i = 0; i < d; i++) {
      const gu = (weight * (gz[i]! - gzz * z[i]!)) / norm;
      if (gu !== 0) addScaledAt(gradW, i * d, x, offset, gu, d);
    }
  };

  const everyone = Int32Array.from({ length: set.people }, (_, k) => k);
  for (let r = 0; r < n; r++) {
    const y = set.labels[r]!;
    const classes = candidates?.[r] ?? everyone;
    const norm = forward(set.vectors, r * d);
    let maxLogit = -Infinity;
    let targetSlope = 1;
    for (const k of classes) {
      let c = 0;
      for (let i = 0; i < d; i++) c += z[i]! * unitCentres[k * d + i]!;
      if (k === y) {
        const sin = Math.sqrt(Math.max(1e-9, 1 - c * c));
        const phi = c > threshold ? c * cosM - sin * sinM : c - fallback;
        targetSlope = c > threshold ? cosM + (sinM * c) / sin : 1;
        logits[k] = scale * phi;
      } else logits[k] = scale * c;
      if (logits[k]! > maxLogit) maxLogit = logits[k]!;
    }
    let total = 0;
    for (const k of classes) total += Math.exp(logits[k]! - maxLogit);
    loss += -(logits[y]! - maxLogit - Math.log(total)) / n;
    gz.fill(0);
    for (const k of classes) {
      const p = Math.exp(logits[k]! - maxLogit) / total;
      const gCos = (scale * (p - (k === y ? 1 : 0)) * (k === y ? targetSlope : 1)) / n;
      if (Math.abs(gCos) < 1e-12) continue;
      for (let i = 0; i < d; i++) {
        gz[i]! += gCos * unitCentres[k * d + i]!;
        gradUnitCentres[k * d + i]! += gCos * z[i]!;
      }
    }
    backward(set.vectors, r * d, norm, 1);
  }

  // Cannot-links: (max(0, cos − ceiling))² per pair, averaged. Each face is projected once (a face
  // is in several pairs), its gradient summed over its pairs, and only faces of pairs above the
  // ceiling (few: two people in one photo rarely look alike) pay for a backward pass.
  const pairs = set.cannotPairs ?? new Int32Array(0);
  const cv = set.cannotVectors ?? new Float32Array(0);
  const pairCount = pairs.length / 2;
  if (pairCount > 0) {
    const rows = cv.length / d;
    const projected = new Float32Array(cv.length);
    const norms = new Float32Array(rows);
    const inPair = new Uint8Array(rows);
    for (const row of pairs) inPair[row] = 1;
    for (let row = 0; row < rows; row++) {
      if (!inPair[row]) continue;
      norms[row] = forward(cv, row * d);
      projected.set(z, row * d);
    }
    const grads = new Float32Array(cv.length);
    const active = new Uint8Array(rows);
    for (let p = 0; p < pairCount; p++) {
      const a = pairs[2 * p]! * d;
      const b = pairs[2 * p + 1]! * d;
      let c = 0;
      for (let i = 0; i < d; i++) c += projected[a + i]! * projected[b + i]!;
      const excess = c - options.cannotLinkCeiling;
      if (excess <= 0) continue;
      loss += (excess * excess) / pairCount;
      const g = (2 * excess) / pairCount;
      // d cos / d z_a = z_b and d cos / d z_b = z_a.
      for (let i = 0; i < d; i++) {
        grads[a + i]! += g * projected[b + i]!;
        grads[b + i]! += g * projected[a + i]!;
      }
      active[a / d] = 1;
      active[b / d] = 1;
    }
    for (let row = 0; row < rows; row++) {
      if (!active[row]) continue;
      z.set(projected.subarray(row * d, (row + 1) * d));
      gz.set(grads.subarray(row * d, (row + 1) * d));
      backward(cv, row * d, norms[row]!, 1);
    }
  }

  // λ‖W − I‖²
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const delta = w[i * d + j]! - (i === j ? 1 : 0);
      loss += options.identityPenalty * delta * delta;
      gradW[i * d + j]! += 2 * options.identityPenalty * delta;
    }
  }
  // Centres: through their normalisation.
  for (let k = 0; k < set.people; k++) {
    let gcc = 0;
    for (let i = 0; i < d; i++) gcc += gradUnitCentres[k * d + i]! * unitCentres[k * d + i]!;
    for (let i = 0; i < d; i++) gradCentres[k * d + i] = (gradUnitCentres[k * d + i]! - gcc * unitCentres[k * d + i]!) / centreNorms[k]!;
  }
  return { loss, gradW, gradCentres };
}

/**
 * a[ao..ao+n) · b[bo..bo+n), four products per step: the d×d products of the projection are nearly all
 * of the training's time, and independent partial sums let V8 keep them in registers.
 */
function dotAt(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += a[ao + j]! * b[bo + j]!;
    s1 += a[ao + j + 1]! * b[bo + j + 1]!;
    s2 += a[ao + j + 2]! * b[bo + j + 2]!;
    s3 += a[ao + j + 3]! * b[bo + j + 3]!;
  }
  for (; j < n; j++) s0 += a[ao + j]! * b[bo + j]!;
  return s0 + s1 + s2 + s3;
}

/** out[oo..oo+n) += k · x[xo..xo+n). */
function addScaledAt(out: Float32Array, oo: number, x: Float32Array, xo: number, k: number, n: number): void {
  let j = 0;
  for (; j + 3 < n; j += 4) {
    out[oo + j]! += k * x[xo + j]!;
    out[oo + j + 1]! += k * x[xo + j + 1]!;
    out[oo + j + 2]! += k * x[xo + j + 2]!;
    out[oo + j + 3]! += k * x[xo + j + 3]!;
  }
  for (; j < n; j++) out[oo + j]! += k * x[xo + j]!;
}

/** Class centres to start from: each person's mean embedding. */
export function initialCentres(set: AdapterTrainingSet): Float32Array {
  const d = set.dimensions;
  const centres = new Float32Array(set.people * d);
  set.labels.forEach((y, r) => {
    for (let i = 0; i < d; i++) centres[y * d + i]! += set.vectors[r * d + i]!;
  });
  return centres;
}

/** People each face's softmax runs over: its own and the `count` nearest others (the only ones with weight). */
function hardestPeople(set: AdapterTrainingSet, w: Float32Array, centres: Float32Array, count: number): Int32Array[] | undefined {
  if (set.people <= count + 1) return undefined;
  const d = set.dimensions;
  const adapted = adaptVectors({ dimensions: d, weights: w }, set.vectors);
  const scores = new Float64Array(set.people);
  return Array.from(set.labels, (y, r) => {
    for (let k = 0; k < set.people; k++) {
      let c = 0;
      for (let i = 0; i < d; i++) c += adapted[r * d + i]! * centres[k * d + i]!;
      scores[k] = k === y ? Infinity : c;
    }
    return Int32Array.from([...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, count + 1));
  });
}

/** Nearest other people kept in each face's softmax; refreshed every few epochs as W moves. */
const HARD_PEOPLE = 24;
const REFRESH_EPOCHS = 10;

/**
 * Full-batch Adam on W and the centres. With many people, each face's softmax runs over its own person
 * and its 24 nearest others (the rest carry next to no probability): training on 600 people then costs
 * what training on 25 does.
 */
export function trainAdapter(
  set: AdapterTrainingSet,
  options: AdapterOptions = DEFAULT_ADAPTER_OPTIONS,
): AdapterWeights & { losses: number[] } {
  const d = set.dimensions;
  const w = identityAdapter(d).weights;
  const centres = initialCentres(set);
  const params = [w, centres];
  const m = params.map((p) => new Float32Array(p.length));
  const v = params.map((p) => new Float32Array(p.length));
  const losses: number[] = [];
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let candidates: Int32Array[] | undefined;
  for (let t = 1; t <= options.epochs; t++) {
    if ((t - 1) % REFRESH_EPOCHS === 0) candidates = hardestPeople(set, w, centres, HARD_PEOPLE);
    const { loss, gradW, gradCentres } = adapterLoss(set, w, centres, options, candidates);
    losses.push(loss);
    [gradW, gradCentres].forEach((g, p) => {
      const param = params[p]!;
      const mp = m[p]!;
      const vp = v[p]!;
      for (let i = 0; i < param.length; i++) {
        mp[i] = beta1 * mp[i]! + (1 - beta1) * g[i]!;
        vp[i] = beta2 * vp[i]! + (1 - beta2) * g[i]! * g[i]!;
        param[i]! -= (options.learningRate * (mp[i]! / (1 - beta1 ** t))) / (Math.sqrt(vp[i]! / (1 - beta2 ** t)) + eps);
      }
    });
  }
  return { dimensions: d, weights: w, losses };
}

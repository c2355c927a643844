import { describe, expect, it } from 'vitest';
import {
  adapterLoss,
  adaptVectors,
  DEFAULT_ADAPTER_OPTIONS,
  identityAdapter,
  initialCentres,
  trainAdapter,
  type AdapterTrainingSet,
} from '../../../src/engine/people/adapter';
import { seededRandom } from '../../../bench/seeded-random';

function unitRows(rows: number, d: number, random: () => number): Float32Array {
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    let n = 0;
    for (let i = 0; i < d; i++) n += (out[r * d + i] = random() - 0.5) ** 2;
    for (let i = 0; i < d; i++) out[r * d + i]! /= Math.sqrt(n);
  }
  return out;
}

describe('the adapter (hand-written training)', () => {
  const d = 6;
  const random = seededRandom(3);
  const set: AdapterTrainingSet = {
    dimensions: d,
    vectors: unitRows(9, d, random),
    labels: Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]),
    people: 3,
    cannotVectors: unitRows(4, d, random),
    // Face 0 is in two pairs: its gradient sums over both.
    cannotPairs: Int32Array.from([0, 1, 2, 3, 0, 2]),
  };
  const options = { ...DEFAULT_ADAPTER_OPTIONS, cannotLinkCeiling: -0.5 };

  it('computes the gradients of its loss exactly (checked against finite differences)', () => {
    const w = identityAdapter(d).weights.map((x) => x + (random() - 0.5) * 0.2);
    const centres = initialCentres(set);
    const { gradW, gradCentres } = adapterLoss(set, w, centres, options);
    const h = 1e-3;
    for (const [param, grad] of [
      [w, gradW],
      [centres, gradCentres],
    ] as const) {
      for (const i of [0, 7, 13, param.length - 1]) {
        const keep = param[i]!;
        param[i] = keep + h;
        const up = adapterLoss(set, w, centres, options).loss;
        param[i] = keep - h;
        const down = adapterLoss(set, w, centres, options).loss;
        param[i] = keep;
        expect(grad[i]!).toBeCloseTo((up - down) / (2 * h), 2);
      }
    }
  });

  it('training lowers the loss, and the identity adapter leaves vectors as they are', () => {
    const trained = trainAdapter(set, { ...options, epochs: 40 });
    expect(trained.losses.at(-1)!).toBeLessThan(trained.losses[0]!);
    expect(Array.from(adaptVectors(identityAdapter(d), set.vectors))).toEqual(Array.from(set.vectors).map((x) => expect.closeTo(x, 6)));
  });
});

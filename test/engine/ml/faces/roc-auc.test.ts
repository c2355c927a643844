import { describe, expect, it } from 'vitest';
import { rocAuc } from './roc-auc';

describe('rocAuc', () => {
  it('is 1 for perfect separation, 0 for inverted, 0.5 for all ties', () => {
    expect(rocAuc([0.9, 0.8], [0.1, 0.2, 0.3])).toBe(1);
    expect(rocAuc([0.1], [0.5, 0.6])).toBe(0);
    expect(rocAuc([0.5, 0.5], [0.5])).toBe(0.5);
  });

  it('counts a hand-worked case: positives 0.3, 0.6, 0.6; negatives 0.2, 0.6, 0.7', () => {
    // 0.3 beats 1 negative; each 0.6 beats 1 and ties 1 (1.5): (1 + 1.5 + 1.5) / 9
    expect(rocAuc([0.6, 0.3, 0.6], [0.7, 0.2, 0.6])).toBeCloseTo(4 / 9, 12);
  });
});

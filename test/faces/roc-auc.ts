/**
 * ROC AUC as the Mann-Whitney statistic: the probability that a random positive outscores a random
 * negative (ties count half). Hand-written: it is a sort and a sum, and the npm options are
 * unmaintained or drag in a whole ML toolkit.
 */
export function rocAuc(positives: number[], negatives: number[]): number {
  const all = [...positives.map((s) => ({ s, p: 1 })), ...negatives.map((s) => ({ s, p: 0 }))].sort((a, b) => a.s - b.s);
  let rankSumPositives = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const averageRank = (i + 1 + j) / 2; // 1-based ranks i+1..j share their mean
    for (let k = i; k < j; k++) if (all[k]!.p) rankSumPositives += averageRank;
    i = j;
  }
  const np = positives.length;
  const nn = negatives.length;
  return (rankSumPositives - (np * (np + 1)) / 2) / (np * nn);
}

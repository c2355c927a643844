export interface BCubedScore {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * BCubed precision/recall/F1 (Amigó et al. 2009) of a clustering against true classes, averaged over
 * items. `cluster[i] === null` (an unassigned face) counts as a cluster of its own.
 */
export function bcubed(truth: readonly string[], cluster: readonly (number | string | null)[]): BCubedScore {
  const clusterKey = cluster.map((c, i) => (c === null ? `single:${i}` : `c:${c}`));
  const count = (keys: string[]): Map<string, number> => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const classSize = count([...truth]);
  const clusterSize = count(clusterKey);
  const both = count(truth.map((t, i) => `${t}\u0000${clusterKey[i]}`));
  let precision = 0;
  let recall = 0;
  truth.forEach((t, i) => {
    const shared = both.get(`${t}\u0000${clusterKey[i]}`)!;
    precision += shared / clusterSize.get(clusterKey[i]!)!;
    recall += shared / classSize.get(t)!;
  });
  precision /= truth.length || 1;
  recall /= truth.length || 1;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

import { expect, it } from 'vitest';
import { benchSearch } from '../../bench/search-bench';

it('the search benchmark runs the real storage and query path and agrees with an exact scan', async () => {
  const report = await benchSearch({ photos: 3000, queries: 5, recallQueries: 5 });
  expect(report.photos).toBe(3000);
  expect(report.p50_ms).toBeGreaterThan(0);
  expect(report.p95_ms).toBeGreaterThanOrEqual(report.p50_ms);
  expect(report.filtered_p95_ms).toBeGreaterThanOrEqual(report.filtered_p50_ms);
  expect(report.recall_at_k).toBe(1);
  expect(report.filtered_recall_at_k).toBe(1);
  expect(report.filtered_candidates).toBeGreaterThan(0);
});

it.runIf(process.platform === 'linux')(
  '--cold drops the library from the page cache before each query and still agrees with the exact scan',
  async () => {
    const report = await benchSearch({ photos: 3000, queries: 3, recallQueries: 3, cold: true });
    expect(report.cold).toBe(true);
    expect(report.recall_at_k).toBe(1);
    expect(report.filtered_recall_at_k).toBe(1);
  },
);

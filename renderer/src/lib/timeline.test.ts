import { describe, expect, it } from 'vitest';
import type { PhotoSummary } from '../../../src/common/api';
import { buildTimeline, monthOf } from './timeline';

const photo = (id: number, takenAt: string | null): PhotoSummary => ({
  id,
  path: `/p/${id}.jpg`,
  width: 10,
  height: 10,
  takenAt,
  status: 'indexed',
});

describe('the library timeline', () => {
  it('puts a header before each month and fills rows of N columns', () => {
    const photos = [
      photo(1, '2024-05-02T10:00:00Z'),
      photo(2, '2024-05-01T10:00:00Z'),
      photo(3, '2024-05-01T09:00:00Z'),
      photo(4, '2024-04-30T10:00:00Z'),
    ];
    expect(buildTimeline(photos, 4, 2)).toEqual([
      { kind: 'header', key: 'h0', month: '2024-05', count: 3, start: 0 },
      { kind: 'photos', key: 'p0', start: 0, end: 2 },
      { kind: 'photos', key: 'p2', start: 2, end: 3 },
      { kind: 'header', key: 'h3', month: '2024-04', count: 1, start: 3 },
      { kind: 'photos', key: 'p3', start: 3, end: 4 },
    ]);
  });

  it('stands in for photos not loaded yet with placeholder rows at the end, so rows above never move', () => {
    const rows = buildTimeline([photo(1, '2024-05-02')], 11, 4);
    expect(rows.slice(2)).toEqual([
      { kind: 'placeholder', key: 'x1', start: 1, count: 4 },
      { kind: 'placeholder', key: 'x5', start: 5, count: 4 },
      { kind: 'placeholder', key: 'x9', start: 9, count: 2 },
    ]);
  });

  it('groups photos without a date under "unknown"', () => {
    expect(monthOf(null)).toBe('unknown');
    expect(monthOf('garbage')).toBe('unknown');
    expect(buildTimeline([photo(1, null), photo(2, null)], 2, 6)[0]).toMatchObject({ kind: 'header', month: 'unknown', count: 2 });
  });

  it('builds 100,000 photos into rows quickly', () => {
    const photos = Array.from({ length: 100_000 }, (_, i) => photo(i + 1, new Date(Date.UTC(2026, 0, 1) - i * 3_000_000).toISOString()));
    const started = performance.now();
    const rows = buildTimeline(photos, photos.length, 6);
    expect(performance.now() - started).toBeLessThan(500);
    expect(rows.filter((r) => r.kind === 'photos').reduce((n, r) => n + (r.kind === 'photos' ? r.end - r.start : 0), 0)).toBe(100_000);
  });
});

import type { PhotoSummary } from '../../../src/common/api';

/**
 * The library grid as rows for a virtualizer: a header row per month, then rows of `columns` photos.
 * Photos not loaded yet are one trailing block of placeholder rows, so the scrollbar has its final
 * size from the first page and rows above the loaded edge never move when more pages arrive.
 */
export type TimelineRow =
  | { kind: 'header'; key: string; month: string; count: number; start: number }
  | { kind: 'photos'; key: string; start: number; end: number }
  | { kind: 'placeholder'; key: string; start: number; count: number };

export const UNKNOWN_MONTH = 'unknown';

export function monthOf(takenAt: string | null): string {
  return takenAt && /^\d{4}-\d{2}/.test(takenAt) ? takenAt.slice(0, 7) : UNKNOWN_MONTH;
}

export function buildTimeline(photos: readonly PhotoSummary[], total: number, columns: number): TimelineRow[] {
  const cols = Math.max(1, Math.floor(columns));
  const rows: TimelineRow[] = [];
  let i = 0;
  while (i < photos.length) {
    const month = monthOf(photos[i]!.takenAt);
    let end = i;
    while (end < photos.length && monthOf(photos[end]!.takenAt) === month) end++;
    rows.push({ kind: 'header', key: `h${i}`, month, count: end - i, start: i });
    for (let start = i; start < end; start += cols)
      rows.push({ kind: 'photos', key: `p${start}`, start, end: Math.min(start + cols, end) });
    i = end;
  }
  const missing = Math.max(0, total - photos.length);
  for (let n = 0; n < missing; n += cols)
    rows.push({ kind: 'placeholder', key: `x${photos.length + n}`, start: photos.length + n, count: Math.min(cols, missing - n) });
  return rows;
}

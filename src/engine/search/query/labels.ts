import type { DateFilter, Season } from '../../../common/api/search-query';
import { parseIsoDay } from './calendar';
import { MONTH_NAMES } from './date-words';

const KO_SEASON: Record<Season, string> = { spring: '봄', summer: '여름', autumn: '가을', winter: '겨울' };

const KO_THIS_SEASON: Record<Season, string> = { spring: '올봄', summer: '올여름', autumn: '올가을', winter: '올겨울' };

/**
 * How a date condition reads on a chip, in the query's language: "summer 2025" / "2025년 여름". A
 * relative season whose year differs between the hemispheres ("last summer" in November: this year's
 * in the north, last year's December–February in the south) reads as said, "last summer" / "지난 여름":
 * short, and true for every photo; dateDetail gives both years (the chip's tooltip, `--explain`).
 */
export function dateLabel(filter: DateFilter, korean: boolean): string {
  switch (filter.kind) {
    case 'season':
      if (filter.relative && filter.relative.north !== filter.relative.south) {
        const { said } = filter.relative;
        if (korean) return said === 'last' ? `지난 ${KO_SEASON[filter.season]}` : KO_THIS_SEASON[filter.season];
        return `${said} ${filter.season}`;
      }
      if (korean) return filter.year === null ? KO_SEASON[filter.season] : `${filter.year}년 ${KO_SEASON[filter.season]}`;
      return filter.year === null ? filter.season : `${filter.season} ${filter.year}`;
    case 'month':
      if (korean) return filter.day ? `${filter.month}월 ${filter.day}일` : `${filter.month}월`;
      return `${MONTH_NAMES[filter.month - 1]}${filter.day ? ` ${filter.day}` : ''}`;
    case 'range':
      return rangeLabel(filter.from, filter.to, korean);
  }
}

/** What a short date label leaves out: for "last summer", the season's year in each hemisphere. */
export function dateDetail(filter: DateFilter, korean: boolean): string | undefined {
  if (filter.kind !== 'season' || !filter.relative || filter.relative.north === filter.relative.south) return undefined;
  const { north, south } = filter.relative;
  return korean
    ? `북반구 ${north}년 ${KO_SEASON[filter.season]}, 남반구 ${south}년 ${KO_SEASON[filter.season]}`
    : `${filter.season} ${north} in the northern hemisphere, ${filter.season} ${south} in the southern`;
}

function rangeLabel(from: string | null, to: string | null, korean: boolean): string {
  if (from && to) {
    const a = parseIsoDay(from);
    const b = parseIsoDay(to);
    if (from === to) return from;
    const wholeYears = a.m === 1 && a.d === 1 && b.m === 12 && b.d === 31;
    if (wholeYears) return a.y === b.y ? (korean ? `${a.y}년` : `${a.y}`) : korean ? `${a.y}–${b.y}년` : `${a.y}–${b.y}`;
    const wholeMonth = a.y === b.y && a.m === b.m && a.d === 1 && new Date(Date.UTC(b.y, b.m, 1) - 86_400_000).getUTCDate() === b.d;
    if (wholeMonth) return korean ? `${a.y}년 ${a.m}월` : `${MONTH_NAMES[a.m - 1]} ${a.y}`;
    return `${from} – ${to}`;
  }
  if (to) {
    const b = parseIsoDay(to);
    if (b.m === 12 && b.d === 31) return korean ? `${b.y + 1}년 이전` : `before ${b.y + 1}`;
    return korean ? `${to}까지` : `until ${to}`;
  }
  const a = parseIsoDay(from!);
  if (a.m === 1 && a.d === 1) return korean ? `${a.y}년부터` : `since ${a.y}`;
  return korean ? `${from}부터` : `since ${from}`;
}

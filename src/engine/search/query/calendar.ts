import type { DateFilter, Season } from '../../../common/api/search-query';

/** A calendar day. Months are 1–12. */
export interface Day {
  y: number;
  m: number;
  d: number;
}

export type Hemisphere = 'north' | 'south';

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function iso({ y, m, d }: Day): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function parseIsoDay(text: string): Day {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

export function addDays(day: Day, n: number): Day {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function addMonths(y: number, m: number, n: number): { y: number; m: number } {
  const index = y * 12 + (m - 1) + n;
  return { y: Math.floor(index / 12), m: (index % 12) + 1 };
}

export const range = (from: Day | null, to: Day | null): DateFilter => ({
  kind: 'range',
  from: from ? iso(from) : null,
  to: to ? iso(to) : null,
});
export const yearsRange = (y1: number, y2: number): DateFilter => range({ y: y1, m: 1, d: 1 }, { y: y2, m: 12, d: 31 });
export const monthRange = (y: number, m: number): DateFilter => range({ y, m, d: 1 }, { y, m, d: daysInMonth(y, m) });
export const dayRange = (day: Day): DateFilter => range(day, day);

/** The Monday-to-Sunday week holding the day. */
export function weekRange(day: Day): DateFilter {
  const weekday = (new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay() + 6) % 7; // Monday = 0
  const monday = addDays(day, -weekday);
  return range(monday, addDays(monday, 6));
}

/**
 * The first month of each meteorological season per hemisphere. Each season is three months; winter
 * in the north (and summer in the south) starts in December and runs into the next year.
 */
const SEASON_START: Record<Hemisphere, Record<Season, number>> = {
  north: { spring: 3, summer: 6, autumn: 9, winter: 12 },
  south: { spring: 9, summer: 12, autumn: 3, winter: 6 },
};

export function seasonMonths(season: Season, hemisphere: Hemisphere): number[] {
  const start = SEASON_START[hemisphere][season];
  return [0, 1, 2].map((i) => ((start - 1 + i) % 12) + 1);
}

/** The days of one season, `year` being the year it starts in. */
export function seasonSpan(season: Season, year: number, hemisphere: Hemisphere): { from: Day; to: Day } {
  const start = SEASON_START[hemisphere][season];
  const end = addMonths(year, start, 2);
  return { from: { y: year, m: start, d: 1 }, to: { y: end.y, m: end.m, d: daysInMonth(end.y, end.m) } };
}

const before = (a: Day, b: Day) => iso(a) < iso(b);

/** "last summer": the latest such season that is over by today. */
export function lastSeasonYear(season: Season, today: Day, hemisphere: Hemisphere): number {
  for (let y = today.y; ; y--) if (before(seasonSpan(season, y, hemisphere).to, today)) return y;
}

/** "this winter": the season under way today, else the one starting this calendar year. */
export function thisSeasonYear(season: Season, today: Day, hemisphere: Hemisphere): number {
  const previous = seasonSpan(season, today.y - 1, hemisphere);
  return !before(previous.to, today) ? today.y - 1 : today.y;
}

import type { DateFilter, PlaceFilter } from '../../common/api/search-query';
import type { DayBounds } from '../library/search-queries';
import { iso, seasonMonths, seasonSpan } from './query/calendar';
import type { Hemisphere } from './query/calendar';

export interface SqlPart {
  sql: string;
  params: unknown[];
}

/**
 * Whether photo `p` lies in the southern hemisphere: its own GPS latitude when it has one, else the
 * library's default (a parameter).
 */
const SOUTH = '(CASE WHEN p.gps_lat IS NOT NULL THEN p.gps_lat < 0 ELSE ? END)';

/** One date condition over `photos p` (taken_at is ISO 8601 wall-clock time; photos without a date never match). */
export function dateClause(filter: DateFilter, defaultHemisphere: Hemisphere): SqlPart {
  switch (filter.kind) {
    case 'range': {
      const parts: SqlPart[] = [];
      if (filter.from) parts.push({ sql: 'p.taken_at >= ?', params: [filter.from] });
      // "before the next day" keeps the whole last day
      if (filter.to) parts.push({ sql: "p.taken_at < date(?, '+1 day')", params: [filter.to] });
      return { sql: parts.map((p) => p.sql).join(' AND ') || 'p.taken_at IS NOT NULL', params: parts.flatMap((p) => p.params) };
    }
    case 'month':
      return filter.day
        ? {
            sql: 'CAST(substr(p.taken_at, 6, 2) AS INTEGER) = ? AND CAST(substr(p.taken_at, 9, 2) AS INTEGER) = ?',
            params: [filter.month, filter.day],
          }
        : { sql: 'CAST(substr(p.taken_at, 6, 2) AS INTEGER) = ?', params: [filter.month] };
    case 'season': {
      const south = defaultHemisphere === 'south' ? 1 : 0;
      const per = (h: Hemisphere): SqlPart => {
        if (filter.year === null) {
          const months = seasonMonths(filter.season, h);
          return { sql: `CAST(substr(p.taken_at, 6, 2) AS INTEGER) IN (${months.map(() => '?').join(',')})`, params: months };
        }
        const span = seasonSpan(filter.season, filter.relative?.[h] ?? filter.year, h);
        return { sql: "p.taken_at >= ? AND p.taken_at < date(?, '+1 day')", params: [iso(span.from), iso(span.to)] };
      };
      const s = per('south');
      const n = per('north');
      return { sql: `((${SOUTH} AND ${s.sql}) OR (NOT ${SOUTH} AND ${n.sql}))`, params: [south, ...s.params, south, ...n.params] };
    }
  }
}

/**
 * All the query's dates as one condition. A photo has one date, so two spans ("2019 2020") or two
 * recurring dates ("summer winter") ANDed would match nothing: each group is ORed, like places. The
 * groups, and every open range ("since 2015", "before 2020"), still narrow each other: "summer" with
 * "2019" is the summer of 2019, "since 2015 before 2020" is 2015–2019.
 */
export function datesClause(dates: readonly DateFilter[], defaultHemisphere: Hemisphere): SqlPart | null {
  const parts = dateGroups(dates).map((group) => {
    const each = group.map((d) => dateClause(d, defaultHemisphere));
    return { sql: each.map((p) => `(${p.sql})`).join(' OR '), params: each.flatMap((p) => p.params) };
  });
  if (parts.length === 0) return null;
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/** The date filters as datesClause combines them: ANDed groups, each ORing its members. */
function dateGroups(dates: readonly DateFilter[]): DateFilter[][] {
  const groups = new Map<string, DateFilter[]>();
  dates.forEach((d, k) => {
    const key = d.kind === 'range' && (!d.from || !d.to) ? `open${k}` : isRecurring(d) ? 'recurring' : 'span';
    groups.set(key, [...(groups.get(key) ?? []), d]);
  });
  return [...groups.values()];
}

/**
 * Days that hold every photo the date filters (and the --from/--to flags) let through: a superset, for
 * an index range that narrows the candidates before the exact clauses check them. A recurring date
 * ("July", "summer") bounds nothing; a season of a given year is bounded in both hemispheres at once.
 */
export function dateBounds(dates: readonly DateFilter[], flags: DayBounds): DayBounds {
  const bounds = { ...flags };
  for (const group of dateGroups(dates)) {
    const spans = group.map(filterBounds);
    narrow(bounds, {
      from: spans.some((b) => !b.from) ? null : spans.map((b) => b.from!).sort()[0]!,
      to: spans.some((b) => !b.to) ? null : spans.map((b) => b.to!).sort()[spans.length - 1]!,
    });
  }
  return bounds;
}

/**
 * Whether dateBounds is not a superset but exactly what the date filters let through: ranges only,
 * each bounded on at least one side, and at most one with both sides (two are ORed: "2019 2021"
 * is bounded by 2019–2021 and lets 2020 through). Open ranges and the flags narrow each other exactly.
 */
export function boundsAreExact(dates: readonly DateFilter[]): boolean {
  const ranges = dates.filter((d) => d.kind === 'range');
  return ranges.length === dates.length && ranges.every((r) => r.from || r.to) && ranges.filter((r) => r.from && r.to).length <= 1;
}

function filterBounds(filter: DateFilter): DayBounds {
  if (filter.kind === 'range') return { from: filter.from, to: filter.to };
  if (filter.kind === 'month' || filter.year === null) return { from: null, to: null };
  const spans = (['north', 'south'] as const).map((h) => seasonSpan(filter.season, filter.relative?.[h] ?? filter.year!, h));
  return { from: spans.map((s) => iso(s.from)).sort()[0]!, to: spans.map((s) => iso(s.to)).sort()[1]! };
}

function narrow(bounds: DayBounds, by: DayBounds): void {
  if (by.from && (!bounds.from || by.from > bounds.from)) bounds.from = by.from;
  if (by.to && (!bounds.to || by.to < bounds.to)) bounds.to = by.to;
}

/** A date of any year: a month, a day of a month, a season without a year. */
const isRecurring = (d: DateFilter) => d.kind === 'month' || (d.kind === 'season' && d.year === null);

/** Photos taken in ANY of the places: a city matches its own photos and those of towns it is nearest to. */
export function placeClause(places: readonly PlaceFilter[]): SqlPart {
  const parts = places.map((place): SqlPart =>
    place.kind === 'country'
      ? { sql: 'pl.country = ?', params: [place.id] }
      : { sql: '(pl.city_id = ? OR pl.nearest_id = ?)', params: [Number(place.id), Number(place.id)] },
  );
  return {
    sql: `p.id IN (SELECT pl.photo_id FROM photo_places pl WHERE ${parts.map((p) => p.sql).join(' OR ')})`,
    params: parts.flatMap((p) => p.params),
  };
}

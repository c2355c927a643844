import type { DateFilter, PlaceFilter } from '../../common/api/search-query';
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
        ? { sql: "CAST(substr(p.taken_at, 6, 2) AS INTEGER) = ? AND CAST(substr(p.taken_at, 9, 2) AS INTEGER) = ?", params: [filter.month, filter.day] }
        : { sql: 'CAST(substr(p.taken_at, 6, 2) AS INTEGER) = ?', params: [filter.month] };
    case 'season': {
      const south = defaultHemisphere === 'south' ? 1 : 0;
      const per = (h: Hemisphere): SqlPart => {
        if (filter.year === null) {
          const months = seasonMonths(filter.season, h);
          return { sql: `CAST(substr(p.taken_at, 6, 2) AS INTEGER) IN (${months.map(() => '?').join(',')})`, params: months };
        }
        const span = seasonSpan(filter.season, filter.year, h);
        return { sql: "p.taken_at >= ? AND p.taken_at < date(?, '+1 day')", params: [iso(span.from), iso(span.to)] };
      };
      const s = per('south');
      const n = per('north');
      return { sql: `((${SOUTH} AND ${s.sql}) OR (NOT ${SOUTH} AND ${n.sql}))`, params: [south, ...s.params, south, ...n.params] };
    }
  }
}

/** Photos taken in ANY of the places: a city matches its own photos and those of towns it is nearest to. */
export function placeClause(places: readonly PlaceFilter[]): SqlPart {
  const parts = places.map((place): SqlPart =>
    place.kind === 'country' ? { sql: 'pl.country = ?', params: [place.id] } : { sql: '(pl.city_id = ? OR pl.nearest_id = ?)', params: [Number(place.id), Number(place.id)] },
  );
  return { sql: `p.id IN (SELECT pl.photo_id FROM photo_places pl WHERE ${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}

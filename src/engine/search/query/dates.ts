import type { DateFilter, Season } from '../../../common/api/search-query';
import {
  type Day,
  type Hemisphere,
  addDays,
  addMonths,
  dayRange,
  daysInMonth,
  lastSeasonYear,
  monthRange,
  range,
  thisSeasonYear,
  weekRange,
  yearsRange,
} from './calendar';
import {
  AMBIGUOUS_MONTHS,
  AMBIGUOUS_SEASONS,
  BEFORE,
  KOREAN_COUNT,
  KOREAN_COUNT_UNITS,
  LAST,
  MONTHS,
  MONTH_NAMES,
  NUMBER_WORDS,
  RANGE_JOINERS,
  RELATIVE_WORDS,
  SEASONS,
  THIS,
  THIS_SEASON_WORDS,
  UNITS,
  type Unit,
} from './date-words';
import type { Token } from './tokens';

export interface DateContext {
  today: Day;
  /** The library's hemisphere: whose year a relative season's chip shows (each photo uses its own). */
  hemisphere: Hemisphere;
}

export interface DateMatch {
  /** Tokens read. */
  length: number;
  filter: DateFilter;
  /** A lenient reading, said in the query's language. */
  warning?: { en: string; ko: string };
}

type Matcher = (t: readonly Token[], i: number, ctx: DateContext) => DateMatch | null;

const word = (tok: Token | undefined, words: readonly string[]) =>
  tok !== undefined && !tok.quoted && tok.forms.some((f) => words.includes(f));
const first = <T>(tok: Token | undefined, read: (form: string) => T | null): T | null => {
  if (!tok || tok.quoted) return null;
  for (const f of tok.forms) {
    const value = read(f);
    if (value !== null) return value;
  }
  return null;
};

function yearOf(tok: Token | undefined): number | null {
  return first(tok, (f) => {
    const m = /^((?:19|20)\d\d)(?:년|년도)?$/.exec(f);
    return m ? Number(m[1]) : null;
  });
}
const monthOf = (tok: Token | undefined) =>
  first(tok, (f) => {
    const k = /^(\d{1,2})월$/.exec(f);
    if (k) return Number(k[1]) >= 1 && Number(k[1]) <= 12 ? Number(k[1]) : null;
    return MONTHS[f.replace(/\.$/, '')] ?? null;
  });
const dayOf = (tok: Token | undefined) =>
  first(tok, (f) => {
    const m = /^(\d{1,2})(?:st|nd|rd|th|일)?$/.exec(f);
    return m && Number(m[1]) >= 1 && Number(m[1]) <= 31 ? Number(m[1]) : null;
  });
const seasonOf = (tok: Token | undefined, strict: boolean): Season | null =>
  first(tok, (f) => (strict && AMBIGUOUS_SEASONS.has(f) ? null : (SEASONS[f] ?? null)));
const countOf = (tok: Token | undefined) => first(tok, (f) => (/^\d{1,3}$/.test(f) ? Number(f) : (NUMBER_WORDS[f] ?? null)));
const unitOf = (tok: Token | undefined): Unit | null => first(tok, (f) => UNITS[f] ?? null);

/** The calendar unit (day, week, month, year) `offset` units away from today's. */
function relativeUnit(unit: Unit, offset: number, today: Day): DateFilter {
  switch (unit) {
    case 'day':
      return dayRange(addDays(today, offset));
    case 'week':
      return weekRange(addDays(today, offset * 7));
    case 'month': {
      const { y, m } = addMonths(today.y, today.m, offset);
      return monthRange(y, m);
    }
    case 'year':
      return yearsRange(today.y + offset, today.y + offset);
  }
}

/** "yesterday", "작년", "지난달"; a relative year may be followed by a season or month ("작년 여름", "올해 3월"). */
const relativeWord: Matcher = (t, i, { today }) => {
  const rel = first(t[i], (f) => RELATIVE_WORDS[f] ?? null);
  if (!rel) return null;
  if (rel.unit === 'year') {
    const y = today.y + rel.offset;
    const season = seasonOf(t[i + 1], false);
    if (season) return { length: 2, filter: { kind: 'season', season, year: y } };
    const month = monthOf(t[i + 1]);
    if (month) return { length: 2, filter: monthRange(y, month) };
  }
  return { length: 1, filter: relativeUnit(rel.unit, rel.offset, today) };
};

/** "last year", "this month", "지난 주"; "last summer", "this spring", "올 여름", "올여름". */
const modifiedUnit: Matcher = (t, i, ctx) => {
  const thisSeason = first(t[i], (f) => THIS_SEASON_WORDS[f] ?? null);
  if (thisSeason) return { length: 1, filter: relativeSeason(thisSeason, 'this', ctx) };
  const last = word(t[i], LAST);
  if (!last && !word(t[i], THIS)) return null;
  const season = seasonOf(t[i + 1], false);
  if (season) return { length: 2, filter: relativeSeason(season, last ? 'last' : 'this', ctx) };
  const unit = unitOf(t[i + 1]);
  return unit ? { length: 2, filter: relativeUnit(unit, last ? -1 : 0, ctx.today) } : null;
};

/**
 * "last summer" is the latest summer over by today in the photo's own hemisphere (on 27 November that
 * is June–August of this year in Busan but December–February before it in Sydney), so both years are
 * kept and the SQL picks per photo; `year` is the library hemisphere's, for the chip.
 */
function relativeSeason(season: Season, said: 'last' | 'this', { today, hemisphere }: DateContext): DateFilter {
  const yearIn = (h: Hemisphere) => (said === 'last' ? lastSeasonYear(season, today, h) : thisSeasonYear(season, today, h));
  const relative = { said, north: yearIn('north'), south: yearIn('south') };
  return { kind: 'season', season, year: relative[hemisphere], relative };
}

/** "3 years ago", "a month ago", "3년 전", "2개월전". */
const ago: Matcher = (t, i, { today }) => {
  const korean = first(t[i], (f) => KOREAN_COUNT.exec(f));
  if (korean) {
    const unit = KOREAN_COUNT_UNITS[korean[2]!]!;
    if (korean[3]) return { length: 1, filter: relativeUnit(unit, -Number(korean[1]), today) };
    if (word(t[i + 1], ['전'])) return { length: 2, filter: relativeUnit(unit, -Number(korean[1]), today) };
    return null;
  }
  const n = countOf(t[i]);
  const unit = unitOf(t[i + 1]);
  return n !== null && unit && word(t[i + 2], ['ago']) ? { length: 3, filter: relativeUnit(unit, -n, today) } : null;
};

/** "summer 2025", "summer of 2025", "2025 summer", "2025년 여름", "winter 2024". */
const seasonYear: Matcher = (t, i) => {
  const season = seasonOf(t[i], false);
  if (season) {
    const of = word(t[i + 1], ['of']) ? 1 : 0;
    const year = yearOf(t[i + 1 + of]);
    return year ? { length: 2 + of, filter: { kind: 'season', season, year } } : null;
  }
  const year = yearOf(t[i]);
  const after = seasonOf(t[i + 1], false);
  return year && after ? { length: 2, filter: { kind: 'season', season: after, year } } : null;
};

/** A season of any year: "summer", "여름에". */
const seasonAlone: Matcher = (t, i) => {
  const season = seasonOf(t[i], true);
  return season ? { length: 1, filter: { kind: 'season', season, year: null } } : null;
};

/** A month, maybe with a day and a year, in English or Korean order: "July 4, 2021", "4 July 2021", "2021년 7월 4일", "July 2021", "3월". */
const calendarDate: Matcher = (t, i) => {
  let year = yearOf(t[i]);
  let at = year ? i + 1 : i;
  let day: number | null = null;
  let month = monthOf(t[at]);
  if (month === null && !year) {
    day = dayOf(t[at]); // "4 July 2021"
    if (day !== null && monthOf(t[at + 1]) !== null && !/일$/.test(t[at]!.lower)) {
      month = monthOf(t[at + 1]);
      at++;
    } else day = null;
  }
  if (month === null) return null;
  at++;
  if (day === null) {
    const d = dayOf(t[at]);
    if (d !== null && !(year === null && yearOf(t[at]) !== null)) {
      day = d;
      at++;
    }
  }
  if (year === null) {
    year = yearOf(t[at]);
    if (year !== null) at++;
  }
  const length = at - i;
  const bare = t[i]!.forms.some((f) => AMBIGUOUS_MONTHS.has(f)) && length === 1;
  if (bare && !word(t[i - 1], ['in', 'during', 'of'])) return null; // "may" is a verb unless it says "in May"
  return dated(year, month, day, length);
};

function dated(year: number | null, month: number, day: number | null, length: number): DateMatch {
  if (day !== null && day > daysInMonth(year ?? 2000, month)) {
    const name = MONTH_NAMES[month - 1]!;
    const filter: DateFilter = year === null ? { kind: 'month', month } : monthRange(year, month);
    const en = `${name} has no day ${day}${year ? ` in ${year}` : ''}: read as a typo, searching all of ${name}${year ? ` ${year}` : ''}.`;
    const ko = `${year ? `${year}년 ` : ''}${month}월에는 ${day}일이 없습니다: 오타로 보고 ${year ? `${year}년 ` : ''}${month}월 전체를 찾습니다.`;
    return { length, filter, warning: { en, ko } };
  }
  if (year === null) return { length, filter: day === null ? { kind: 'month', month } : { kind: 'month', month, day } };
  return { length, filter: day === null ? monthRange(year, month) : dayRange({ y: year, m: month, d: day }) };
}

/** "2021-07-04", "2021/07/04", "2021.07.04". */
const isoDate: Matcher = (t, i) => {
  const m = first(t[i], (f) => /^((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(f));
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? dated(Number(m[1]), month, Number(m[3]), 1) : null;
};

/** "2019–2021", "2019 to 2021", "from 2019 to 2021", "between 2019 and 2021", "2019년부터 2021년까지". */
const yearSpan: Matcher = (t, i) => {
  const joined = first(t[i], (f) => /^((?:19|20)\d\d)년?[-–—~]((?:19|20)\d\d)년?$/.exec(f));
  if (joined) return spanOf(Number(joined[1]), Number(joined[2]), 1);
  const lead = word(t[i], ['from', 'between']) ? 1 : 0;
  const y1 = yearOf(t[i + lead]);
  if (y1 === null) return null;
  if (t[i + lead]!.particle === '부터' || t[i + lead]!.particle === '에서부터') {
    const y2 = yearOf(t[i + lead + 1]);
    return y2 !== null ? spanOf(y1, y2, lead + 2) : { length: lead + 1, filter: range({ y: y1, m: 1, d: 1 }, null) };
  }
  const joiner = lead && word(t[i], ['between']) ? ['and', '-', '–', '~'] : RANGE_JOINERS;
  if (!word(t[i + lead + 1], joiner)) return null;
  const y2 = yearOf(t[i + lead + 2]);
  return y2 !== null ? spanOf(y1, y2, lead + 3) : null;
};

function spanOf(y1: number, y2: number, length: number): DateMatch {
  if (y1 <= y2) return { length, filter: yearsRange(y1, y2) };
  return {
    length,
    filter: yearsRange(y2, y1),
    warning: {
      en: `The years ${y1}–${y2} run backwards: searching ${y2}–${y1}.`,
      ko: `${y1}–${y2}년은 거꾸로입니다: ${y2}–${y1}년을 찾습니다.`,
    },
  };
}

/** "before 2020", "since 2019", "after 2018", "2020년 이전", "2019년 이후", "2020년까지". */
const openYear: Matcher = (t, i) => {
  const y = yearOf(t[i + 1]);
  if (y !== null && word(t[i], BEFORE)) return { length: 2, filter: range(null, { y: y - 1, m: 12, d: 31 }) };
  if (y !== null && word(t[i], ['since'])) return { length: 2, filter: range({ y, m: 1, d: 1 }, null) };
  if (y !== null && word(t[i], ['after'])) return { length: 2, filter: range({ y: y + 1, m: 1, d: 1 }, null) };
  const k = yearOf(t[i]);
  if (k === null) return null;
  if (t[i]!.particle === '까지') return { length: 1, filter: range(null, { y: k, m: 12, d: 31 }) };
  if (word(t[i + 1], ['이전', '전'])) return { length: 2, filter: range(null, { y: k - 1, m: 12, d: 31 }) };
  if (word(t[i + 1], ['이후', '후', '부터'])) return { length: 2, filter: range({ y: k, m: 1, d: 1 }, null) };
  return null;
};

/** "the 1990s", "1850s", "1990년대": scanned old photos carry 19th-century dates too. */
const decade: Matcher = (t, i) => {
  const m = first(t[i], (f) => /^((?:1[89]|20)\d)0(?:s|'s|년대)$/.exec(f));
  return m ? { length: 1, filter: yearsRange(Number(m[1]) * 10, Number(m[1]) * 10 + 9) } : null;
};

const yearAlone: Matcher = (t, i) => {
  const y = yearOf(t[i]);
  return y !== null ? { length: 1, filter: yearsRange(y, y) } : null;
};

const MATCHERS: readonly Matcher[] = [
  relativeWord,
  modifiedUnit,
  ago,
  seasonYear,
  yearSpan,
  openYear,
  calendarDate,
  isoDate,
  decade,
  yearAlone,
  seasonAlone,
];

/** The longest date expression starting at token i, if any (ties: the earlier matcher above). */
export function matchDate(tokens: readonly Token[], i: number, ctx: DateContext): DateMatch | null {
  let best: DateMatch | null = null;
  for (const matcher of MATCHERS) {
    const m = matcher(tokens, i, ctx);
    if (m && (!best || m.length > best.length)) best = m;
  }
  return best;
}

/** Whether the date words read here would also be a plain month or season word (a name like June). */
export function isBareWord(tokens: readonly Token[], i: number, m: DateMatch): boolean {
  return m.length === 1 && (m.filter.kind === 'month' || m.filter.kind === 'season') && !tokens[i]!.forms.some((f) => /\d/.test(f));
}

import type { Season } from '../../../common/api/search-query';

export const MONTHS: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Month words that are also everyday words: dates only next to a day, a year, or after "in". */
export const AMBIGUOUS_MONTHS = new Set(['may', 'mar', 'jan', 'dec', 'sep', 'oct', 'jun', 'march']);

export const SEASONS: Record<string, Season> = {
  spring: 'spring',
  summer: 'summer',
  autumn: 'autumn',
  fall: 'autumn',
  winter: 'winter',
  봄: 'spring',
  여름: 'summer',
  가을: 'autumn',
  겨울: 'winter',
};
/** "fall" is a verb too: a season only with "last", "this" or a year. */
export const AMBIGUOUS_SEASONS = new Set(['fall']);
/** One-word Korean "this season": 올여름 (this summer). */
export const THIS_SEASON_WORDS: Record<string, Season> = { 올봄: 'spring', 올여름: 'summer', 올가을: 'autumn', 올겨울: 'winter' };

export const LAST = ['last', 'past', 'previous', '지난', '저번'];
export const THIS = ['this', 'current', '이번', '올'];

/** Units for "last year", "3 years ago"… and the Korean suffixes ("3년 전"). */
export type Unit = 'year' | 'month' | 'week' | 'day';
export const UNITS: Record<string, Unit> = {
  year: 'year',
  years: 'year',
  month: 'month',
  months: 'month',
  week: 'week',
  weeks: 'week',
  day: 'day',
  days: 'day',
  해: 'year',
  달: 'month',
  주: 'week',
};
export const KOREAN_COUNT = /^(\d{1,3})(년|달|개월|주|일)(전)?$/;
export const KOREAN_COUNT_UNITS: Record<string, Unit> = { 년: 'year', 달: 'month', 개월: 'month', 주: 'week', 일: 'day' };

/** One-word relative dates: (unit, offset from the current one). */
export const RELATIVE_WORDS: Record<string, { unit: Unit; offset: number }> = {
  yesterday: { unit: 'day', offset: -1 },
  today: { unit: 'day', offset: 0 },
  어제: { unit: 'day', offset: -1 },
  오늘: { unit: 'day', offset: 0 },
  그제: { unit: 'day', offset: -2 },
  그저께: { unit: 'day', offset: -2 },
  작년: { unit: 'year', offset: -1 },
  지난해: { unit: 'year', offset: -1 },
  재작년: { unit: 'year', offset: -2 },
  올해: { unit: 'year', offset: 0 },
  금년: { unit: 'year', offset: 0 },
  지난달: { unit: 'month', offset: -1 },
  저번달: { unit: 'month', offset: -1 },
  이번달: { unit: 'month', offset: 0 },
  지난주: { unit: 'week', offset: -1 },
  저번주: { unit: 'week', offset: -1 },
  이번주: { unit: 'week', offset: 0 },
};

export const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  한: 1,
  두: 2,
  세: 3,
  네: 4,
};

export const RANGE_JOINERS = ['-', '–', '—', '~', 'to', 'through', 'thru', 'until', 'till'];
export const BEFORE = ['before', 'until', 'till', 'prior'];

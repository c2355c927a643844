/**
 * How Facet read a free-text search query: the exact filters it found (people, dates, places, text
 * written in the photo) and the visual remainder that goes to CLIP. Produced by the engine's query
 * parser (src/engine/search/query), shown by `facet search --explain` and as chips in the app.
 * Imports nothing: the parser, the search, the OCR text search and the renderer all share it.
 */

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';

/**
 * One date condition. All dates are calendar dates (YYYY-MM-DD) in the photo's own wall-clock time.
 * - `range`: from..to inclusive; either end may be open ("before 2020", "since 2019").
 * - `month`: that month of any year ("July", "3월"); with `day`, that day of any year ("July 4").
 * - `season`: meteorological season, resolved per photo by hemisphere (summer is June–August in the
 *   north, December–February in the south). `year` is the year the season starts in (winter 2025 is
 *   December 2025 to February 2026); null means that season of any year. A relative season ("last
 *   summer", "this winter") also carries its year in each hemisphere, since the last summer that is
 *   over by today is a different one in Sydney than in Busan; `year` is then the library's reading.
 */
export type DateFilter =
  | { kind: 'range'; from: string | null; to: string | null }
  | { kind: 'month'; month: number; day?: number }
  | { kind: 'season'; season: Season; year: number | null; relative?: RelativeSeason };

/** "last summer" / "this winter", resolved in both hemispheres (the year each one starts in). */
export interface RelativeSeason {
  said: 'last' | 'this';
  north: number;
  south: number;
}

/** A place the query named: a city (GeoNames id) or a country (ISO 3166-1 alpha-2). */
export interface PlaceFilter {
  kind: 'city' | 'country';
  /** GeoNames city id (as a string) or the ISO country code. */
  id: string;
  /** English display name, e.g. "Busan" or "South Korea". */
  name: string;
  /** ISO 3166-1 alpha-2 of the country. */
  country: string;
}

/** A person the query named, with the other people the same words could mean. */
export interface PersonReading {
  /** The person whose photos are searched (their name in the library). */
  name: string;
  /** The words as typed ("mina", "민지와" without its particle). */
  words: string;
  /** Other people the words also match (a shared first name); say the full name to pick one. */
  alternatives: string[];
}

/** One recognised part of the query, in query order: what the app shows as a removable chip. */
export interface QueryChip {
  kind: 'person' | 'date' | 'place' | 'text' | 'visual';
  /** Display label ("Mina", "summer 2025", "Busan", "jumping at the beach"). */
  label: string;
  /** The exact substring of the query this chip was read from; removing it from the query drops the chip. */
  source: string;
  /** What the short label leaves out ("last summer": the year in each hemisphere); the chip's tooltip. */
  detail?: string;
}

/** The parser's full answer for one query. */
export interface ParsedQuery {
  /** Photos must show ALL these people. */
  people: PersonReading[];
  /**
   * Date conditions. A photo has one date, so two closed spans ("2019 2020", "summer 2019 winter
   * 2020") or two recurring ones ("summer winter") match EITHER; open ranges ("since 2015") and a
   * recurring condition with a span ("summer" + "2019") must ALL hold (see dateGroups).
   */
  dates: DateFilter[];
  /** Photos must be in ANY of these places. */
  places: PlaceFilter[];
  /** Quoted phrases: text written in the photo (OCR), each must match. */
  text: string[];
  /** What is left for CLIP (stop words and filter words removed); '' when the query is only filters. */
  visual: string;
  chips: QueryChip[];
  /** Things read leniently ("February has no day 30: searching all of February"). */
  warnings: string[];
}

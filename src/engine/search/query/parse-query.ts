import type { ParsedQuery, PersonReading, PlaceFilter, QueryChip } from '../../../common/api/search-query';
import type { Day, Hemisphere } from './calendar';
import { type DateMatch, isBareWord, matchDate } from './dates';
import { dateDetail, dateLabel } from './labels';
import { type NameMatch, type QueryVocabulary, peopleIndex, placesIndex } from './names';
import { EDGE_WORDS, FILTER_LEAD_WORDS, STOP_WORDS } from './stop-words';
import { type Token, hasHangul, tokenize } from './tokens';

export interface ParseOptions {
  vocabulary: QueryVocabulary;
  /** The user's today (an injectable clock: tests pass a fixed day). */
  today: Day;
  /** The library's hemisphere: whose year a "last summer" chip shows; each photo is matched in its own. */
  hemisphere: Hemisphere;
}

type Reading =
  | { kind: 'person'; match: NameMatch<string> }
  | { kind: 'place'; match: NameMatch<PlaceFilter> }
  | { kind: 'date'; match: DateMatch }
  | { kind: 'text' };

interface Span {
  first: number;
  /** Exclusive. */
  end: number;
  reading: Reading;
}

/**
 * Reads a free-text query (English or Korean) into exact filters and a visual remainder for CLIP.
 * At each word the longest reading wins (a date, a person of the library, a place of the library, a
 * quoted phrase); on a tie a person beats a place (unless the word says "에서"/follows "in"), and
 * both beat a bare month or season word, so "June" is June the person when the library has her and
 * the month otherwise, while "June 2021" and "in June" are always dates. Never throws: odd input is read leniently
 * with a warning.
 */
export function parseQuery(query: string, options: ParseOptions): ParsedQuery {
  const tokens = tokenize(query);
  const people = peopleIndex(options.vocabulary.people);
  const places = placesIndex(options.vocabulary.places);
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length;) {
    const reading = readAt(tokens, i, { people, places, options });
    if (reading) {
      spans.push({ first: absorbLeadWords(tokens, i, spans), end: i + reading.length, reading: reading.reading });
      i += reading.length;
    } else i++;
  }
  return assemble(query, tokens, spans);
}

interface Readers {
  people: ReturnType<typeof peopleIndex>;
  places: ReturnType<typeof placesIndex>;
  options: ParseOptions;
}

function readAt(tokens: readonly Token[], i: number, { people, places, options }: Readers): { reading: Reading; length: number } | null {
  if (tokens[i]!.quoted) return tokens[i]!.lower ? { reading: { kind: 'text' }, length: 1 } : null;
  const person = people.match(tokens, i);
  const place = places.match(tokens, i);
  const date = matchDate(tokens, i, options);
  const options_: { reading: Reading; length: number; rank: number }[] = [];
  const saysPlace = tokens[i]!.particle === '에서' || ['in', 'at', 'near'].includes(tokens[i - 1]?.lower ?? '');
  if (person) options_.push({ reading: { kind: 'person', match: person }, length: person.length, rank: saysPlace ? 2 : 3 });
  if (place) options_.push({ reading: { kind: 'place', match: place }, length: place.length, rank: saysPlace ? 3 : 2 });
  // "June" alone may be the person June, but "in June" is the month in every reading
  const saysDate = ['in', 'during'].includes(tokens[i - 1]?.lower ?? '');
  if (date)
    options_.push({ reading: { kind: 'date', match: date }, length: date.length, rank: isBareWord(tokens, i, date) && !saysDate ? 1 : 4 });
  options_.sort((a, b) => b.length - a.length || b.rank - a.rank);
  return options_[0] ?? null;
}

/** "in Busan", "with Mina and Jun": the little words before a filter are part of it, not of the visual query. */
function absorbLeadWords(tokens: readonly Token[], i: number, spans: readonly Span[]): number {
  const floor = spans.length ? spans[spans.length - 1]!.end : 0;
  let first = i;
  while (first > floor && FILTER_LEAD_WORDS.has(tokens[first - 1]!.lower)) first--;
  return first;
}

function assemble(query: string, tokens: readonly Token[], spans: readonly Span[]): ParsedQuery {
  const parsed: ParsedQuery = { people: [], dates: [], places: [], text: [], visual: '', chips: [], warnings: [] };
  const used = new Set<number>();
  const chips: { at: number; chip: QueryChip }[] = [];
  for (const span of spans) {
    for (let k = span.first; k < span.end; k++) used.add(k);
    const source = query.slice(tokens[span.first]!.start, tokens[span.end - 1]!.end);
    const chip = addReading(parsed, span, tokens, source);
    if (chip) chips.push({ at: tokens[span.first]!.start, chip: { ...chip, source } });
  }
  warnImpossibleMonths(parsed, tokens, used);
  const visual = visualRemainder(tokens, used);
  parsed.visual = visual.text;
  if (visual.text) chips.push({ at: visual.at, chip: { kind: 'visual', label: visual.text, source: visual.text } });
  parsed.chips = chips.sort((a, b) => a.at - b.at).map((c) => c.chip);
  return parsed;
}

/** Records one reading in the parsed query; returns its chip (without source), or null for a repeat. */
function addReading(parsed: ParsedQuery, span: Span, tokens: readonly Token[], source: string): Omit<QueryChip, 'source'> | null {
  const korean = hasHangul(source);
  const reading = span.reading;
  switch (reading.kind) {
    case 'text': {
      const phrase = tokens[span.end - 1]!.lower.replace(/\s+/g, ' ');
      parsed.text.push(phrase);
      if (tokens[span.end - 1]!.unclosed) {
        parsed.warnings.push(
          korean
            ? `따옴표가 닫히지 않았습니다: 끝까지 “${phrase}”을(를) 사진 속 글자로 찾습니다.`
            : `The quote is not closed: searching “${phrase}” (to the end) as text in the photo.`,
        );
      }
      return { kind: 'text', label: `“${phrase}”` };
    }
    case 'date': {
      parsed.dates.push(reading.match.filter);
      if (reading.match.warning) parsed.warnings.push(korean ? reading.match.warning.ko : reading.match.warning.en);
      const detail = dateDetail(reading.match.filter, korean);
      return { kind: 'date', label: dateLabel(reading.match.filter, korean), ...(detail ? { detail } : {}) };
    }
    case 'person': {
      const [name, ...alternatives] = reading.match.candidates as [string, ...string[]];
      if (parsed.people.some((p) => p.name === name)) return null;
      const typed = typedWords(tokens, span.end - reading.match.length, span.end);
      parsed.people.push({ name, words: typed, alternatives } satisfies PersonReading);
      if (alternatives.length) {
        parsed.warnings.push(
          hasHangul(typed)
            ? `"${typed}"은(는) ${[name, ...alternatives].join(', ')} 중 누구일 수 있습니다: 사진이 가장 많은 ${name}(으)로 찾습니다. 다른 사람은 전체 이름으로 입력하세요.`
            : `"${typed}" could be ${[name, ...alternatives].join(' or ')}: searching ${name} (the most photos). Type the full name to choose another.`,
        );
      }
      return { kind: 'person', label: name };
    }
    case 'place': {
      const place = reading.match.candidates[0]!;
      if (!parsed.places.some((p) => p.kind === place.kind && p.id === place.id)) parsed.places.push(place);
      const typed = typedWords(tokens, span.end - reading.match.length, span.end);
      return { kind: 'place', label: korean ? typed : place.name };
    }
  }
}

/** The name as typed, without the particle of its last word ("부산에서" → "부산"). */
function typedWords(tokens: readonly Token[], from: number, end: number): string {
  return tokens
    .slice(from, end)
    .map((t, k, all) => (k === all.length - 1 && t.particle ? t.forms[1]! : t.raw))
    .join(' ');
}

/** "13월" is no month: it stays a visual word, but the user is told why it was not read as a date. */
function warnImpossibleMonths(parsed: ParsedQuery, tokens: readonly Token[], used: ReadonlySet<number>): void {
  tokens.forEach((t, k) => {
    const month = t.quoted || used.has(k) ? null : t.forms.map((f) => /^(\d{1,3})월$/.exec(f)).find(Boolean);
    if (month && (Number(month[1]) < 1 || Number(month[1]) > 12)) {
      parsed.warnings.push(`${month[1]}월은 없는 달입니다(1월–12월): 날짜로 읽지 않고 그림 검색(CLIP)에 보냅니다.`);
    }
  });
}

/** The words no filter took, in order, without the "photos of"-style words at either end. */
function visualRemainder(tokens: readonly Token[], used: ReadonlySet<number>): { text: string; at: number } {
  const rest = tokens.filter((t, k) => !used.has(k) && !t.quoted);
  let a = 0;
  let b = rest.length;
  while (a < b && EDGE_WORDS.has(rest[a]!.lower)) a++;
  while (b > a && EDGE_WORDS.has(rest[b - 1]!.lower)) b--;
  const words = rest.slice(a, b);
  if (words.every((t) => STOP_WORDS.has(t.lower))) return { text: '', at: 0 };
  return { text: words.map((t) => t.raw).join(' '), at: words[0]!.start };
}

/** True when the query had words but every one of them is a stop word ("the of and", "사진"). */
export function onlyStopWords(query: string): boolean {
  const tokens = tokenize(query);
  return tokens.length > 0 && tokens.every((t) => !t.quoted && STOP_WORDS.has(t.lower));
}

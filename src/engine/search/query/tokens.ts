/** One word (or quoted phrase) of a query, with where it stands in the original text. */
export interface Token {
  /** The exact text as typed. */
  raw: string;
  /** Lower-case. */
  lower: string;
  /**
   * The ways the word can be read, most literal first: itself, then without a Korean particle
   * ("부산에서" → "부산") or an English possessive ("Mina's" → "mina").
   */
  forms: string[];
  /** The Korean particle stripped in forms[1], if any ("부터", "까지" matter to date ranges). */
  particle: string | null;
  start: number;
  end: number;
  /** A "quoted phrase": text written in the photo, never a filter word. */
  quoted: boolean;
  /** A quote never closed ('"bakery'): the phrase runs to the end of the query. */
  unclosed?: boolean;
}

/**
 * Korean particles (josa) that attach to the word before them, longest first so "에서는" is not read
 * as "에서" + "는". Only stripped as alternative forms: "가을" (autumn) stays readable as itself.
 */
const PARTICLES = [
  '에서부터',
  '에서는',
  '에서의',
  '에서도',
  '으로는',
  '이랑은',
  '부터',
  '까지',
  '에서',
  '에게',
  '한테',
  '이랑',
  '하고',
  '처럼',
  '에는',
  '에도',
  '으로',
  '랑',
  '로',
  '에',
  '의',
  '와',
  '과',
  '은',
  '는',
  '이',
  '가',
  '을',
  '를',
  '도',
  '만',
  '쯤',
];

const HANGUL = /\p{Script=Hangul}/u;
// an opening quote with no closing one runs to the end (groups 3 and 4), rather than being dropped;
// emoji are words too (🐶🏖️): CLIP has seen them in captions
const TOKEN =
  /"([^"]*)"|“([^”]*)”|"([^"]*)$|“([^”]*)$|[\p{L}\p{N}]+(?:['’\-–—~/.][\p{L}\p{N}]+)*|[–—~-]|(?:\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})*(?:\u200D\p{Extended_Pictographic}\uFE0F?)*)+/gu;

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  for (const match of query.matchAll(TOKEN)) {
    const raw = match[0];
    const start = match.index;
    const quote = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (quote !== undefined) {
      const unclosed = match[3] !== undefined || match[4] !== undefined;
      tokens.push({
        raw,
        lower: quote.trim().toLowerCase(),
        forms: [quote.trim().toLowerCase()],
        particle: null,
        start,
        end: start + raw.length,
        quoted: true,
        ...(unclosed ? { unclosed } : {}),
      });
      continue;
    }
    const lower = raw.toLowerCase();
    const { forms, particle } = readings(lower);
    tokens.push({ raw, lower, forms, particle, start, end: start + raw.length, quoted: false });
  }
  return tokens;
}

function readings(lower: string): { forms: string[]; particle: string | null } {
  if (/['’]s$/.test(lower)) return { forms: [lower, lower.slice(0, -2)], particle: null };
  if (!HANGUL.test(lower)) return { forms: [lower], particle: null };
  const forms = [lower];
  let particle: string | null = null;
  for (const p of PARTICLES) {
    if (lower.length > p.length && lower.endsWith(p)) {
      forms.push(lower.slice(0, -p.length));
      particle ??= p;
    }
  }
  return { forms, particle };
}

export function hasHangul(text: string): boolean {
  return HANGUL.test(text);
}

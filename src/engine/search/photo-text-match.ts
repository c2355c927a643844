import { normalizeText } from '../library/normalize-text';

/** A line of recognised text, normalised (see normalizeText), with the photo it belongs to. */
export interface SearchableLine {
  photoId: number;
  norm: string;
  confidence: number;
}

/**
 * How well one query term matched a photo's text. Whole words rank first, then a term found inside a
 * longer word (OCR often runs words together: "OPENDAILY"), then a word one OCR slip away.
 */
export const TERM_SCORES = { word: 1, inside: 0.8, slip: 0.65 } as const;
/** Words at least this long tolerate one wrong, missing or extra character; twice as long, two. */
export const SLIP_MIN_LENGTH = 5;
/** A term shorter than this is found only as a whole word: one letter is inside almost every line. */
export const INSIDE_MIN_LENGTH = 2;
/** What a phrase typed as one (the query's words together in one line) adds to the mean term score. */
const PHRASE_BONUS = 0.05;

const WORD = /[\p{L}\p{N}]+/gu;
const NUMBER = /^\p{Nd}+$/u;
const DIGIT_RUNS = /\p{Nd}+/gu;
/** Scripts written without spaces between words: a term is found anywhere in the line. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** The query's terms: its words (letters and digits of any script), normalised. */
export function queryTerms(query: string): string[] {
  return [...new Set(normalizeText(query).match(WORD) ?? [])];
}

/**
 * Scores every photo whose text contains all the query's terms: the mean of the terms' scores, nudged
 * up when the query's words appear together as typed in one line (a phrase) and by the recogniser's confidence.
 * Scaled so that a perfect match scores 1 (scores share the [-1, 1] range of --min-score with CLIP's).
 * Photos missing any term are left out. Best first.
 */
export function matchPhotoText(lines: readonly SearchableLine[], query: string): { photoId: number; score: number }[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const phrase = terms.join(' ');
  const byPhoto = new Map<number, SearchableLine[]>();
  for (const line of lines) {
    const list = byPhoto.get(line.photoId);
    if (list) list.push(line);
    else byPhoto.set(line.photoId, [line]);
  }
  const hits: { photoId: number; score: number }[] = [];
  for (const [photoId, photoLines] of byPhoto) {
    const text = photoLines.map((l) => l.norm).join('\n');
    const words = new Set(text.match(WORD) ?? []);
    let sum = 0;
    let all = true;
    for (const term of terms) {
      const score = termScore(term, text, words);
      if (score === 0) {
        all = false;
        break;
      }
      sum += score;
    }
    if (!all) continue;
    const phraseBonus =
      terms.length > 1 && photoLines.some((l) => ` ${(l.norm.match(WORD) ?? []).join(' ')} `.includes(` ${phrase} `)) ? PHRASE_BONUS : 0;
    const confidence = Math.max(...photoLines.map((l) => l.confidence));
    hits.push({ photoId, score: ((sum / terms.length + phraseBonus) / (1 + PHRASE_BONUS)) * (0.95 + 0.05 * confidence) });
  }
  return hits.sort((a, b) => b.score - a.score || a.photoId - b.photoId);
}

function termScore(term: string, text: string, words: ReadonlySet<string>): number {
  if (words.has(term)) return TERM_SCORES.word;
  if (UNSPACED.test(term)) return text.includes(term) ? TERM_SCORES.word : unspacedSlip(term, text) ? TERM_SCORES.slip : 0;
  // A number is found only whole, even run into letters ("24H"): the bus 2 is not the 24.
  if (NUMBER.test(term)) return (text.match(DIGIT_RUNS) ?? []).some((run) => run === term) ? TERM_SCORES.inside : 0;
  if (term.length >= INSIDE_MIN_LENGTH && text.includes(term)) return TERM_SCORES.inside;
  const slips = allowedSlips(term);
  if (slips === 0) return 0;
  for (const word of words)
    if (Math.abs(word.length - term.length) <= slips && editDistanceAtMost(term, word, slips)) return TERM_SCORES.slip;
  return 0;
}

/** Digits never slip: a number one digit off is another number (a phone, a date, a price). */
function allowedSlips(term: string): number {
  if (!/\p{L}/u.test(term) || term.length < SLIP_MIN_LENGTH) return 0;
  return term.length >= 2 * SLIP_MIN_LENGTH ? 2 : 1;
}

/** Chinese and Japanese: a run of four or more characters found with one character read wrong. */
function unspacedSlip(term: string, text: string): boolean {
  const chars = [...term];
  if (chars.length < 4) return false;
  const hay = [...text];
  for (let start = 0; start + chars.length <= hay.length; start++) {
    let wrong = 0;
    for (let i = 0; i < chars.length && wrong <= 1; i++) if (hay[start + i] !== chars[i]) wrong++;
    if (wrong <= 1) return true;
  }
  return false;
}

/** Levenshtein distance ≤ max, with a band so a long word costs O(length × max). */
export function editDistanceAtMost(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(max + 1);
    current[0] = i;
    let best = current[0];
    for (let j = Math.max(1, i - max); j <= Math.min(b.length, i + max); j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]!);
    }
    if (best > max) return false;
    previous = current;
  }
  return previous[b.length]! <= max;
}

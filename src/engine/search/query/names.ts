import type { PlaceFilter } from '../../../common/api/search-query';
import { foldMarks } from '../../util/fold-marks';
import { type Token, hasHangul } from './tokens';

/** What the library knows that a query can name. */
export interface QueryVocabulary {
  /** Named people, with their photo counts (the busier one wins a shared first name). */
  people: readonly { name: string; photos: number }[];
  /** Places with photos in the library, each with every name it answers to (English, Korean, aliases). */
  places: readonly { names: readonly string[]; place: PlaceFilter; photos: number }[];
}

export interface NameMatch<T> {
  length: number;
  /** Best first. */
  candidates: T[];
  /** True when the words are a full name, not a first name or Korean given name. */
  exact: boolean;
}

interface Entry<T> {
  words: string[];
  value: T;
  weight: number;
  exact: boolean;
}

/**
 * Finds multi-word names in token sequences: whole words, case- and accent-insensitive, the last word allowed a
 * Korean particle ("민지와", "부산에서"). Longest name first; among equal names, full names before
 * partial ones, then by weight (photo count).
 */
export class NameIndex<T> {
  private readonly byFirstWord = new Map<string, Entry<T>[]>();

  add(name: string, value: T, weight: number, exact: boolean): void {
    const words = foldMarks(name).split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    const list = this.byFirstWord.get(words[0]!) ?? [];
    list.push({ words, value, weight, exact });
    this.byFirstWord.set(words[0]!, list);
  }

  match(tokens: readonly Token[], i: number): NameMatch<T> | null {
    const head = tokens[i];
    if (!head || head.quoted) return null;
    const entries = [...new Set(head.forms.map(foldMarks))].flatMap((f) => this.byFirstWord.get(f) ?? []);
    const hits = entries.filter((e) => e.words.every((w, k) => wordMatches(tokens[i + k], w, k === e.words.length - 1)));
    if (hits.length === 0) return null;
    const length = Math.max(...hits.map((h) => h.words.length));
    const longest = hits.filter((h) => h.words.length === length);
    const exact = longest.some((h) => h.exact);
    const ranked = longest.filter((h) => h.exact === exact).sort((a, b) => b.weight - a.weight);
    const candidates = [...new Set(ranked.map((h) => h.value))];
    return { length, candidates, exact };
  }
}

function wordMatches(tok: Token | undefined, word: string, last: boolean): boolean {
  if (!tok || tok.quoted) return false;
  return last ? tok.forms.some((f) => foldMarks(f) === word) : foldMarks(tok.lower) === word;
}

/**
 * People by full name, and by the parts people use alone: the first word of a Western name ("Mina"
 * for "Mina Kim") and the given name of a Korean name written without spaces ("민지" for "김민지",
 * whose first syllable is the family name). A part shared by two people offers both.
 */
export function peopleIndex(people: QueryVocabulary['people']): NameIndex<string> {
  const index = new NameIndex<string>();
  for (const p of people) {
    index.add(p.name, p.name, p.photos, true);
    const words = p.name.trim().split(/\s+/);
    if (words.length > 1) index.add(words[0]!, p.name, p.photos, false);
    else if (hasHangul(p.name) && [3, 4].includes(p.name.length)) index.add(p.name.slice(1), p.name, p.photos, false);
  }
  return index;
}

export function placesIndex(places: QueryVocabulary['places']): NameIndex<PlaceFilter> {
  const index = new NameIndex<PlaceFilter>();
  for (const p of places) for (const name of p.names) index.add(name, p.place, p.photos, true);
  return index;
}

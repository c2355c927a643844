import { describe, expect, it } from 'vitest';
import {
  editDistanceAtMost,
  matchPhotoText,
  queryTerms,
  type SearchableLine,
  TERM_SCORES,
} from '../../../src/engine/search/photo-text-match';
import { normalizeText } from '../../../src/engine/library/normalize-text';

const line = (photoId: number, text: string, confidence = 0.95): SearchableLine => ({ photoId, norm: normalizeText(text), confidence });
const ids = (lines: SearchableLine[], query: string) => matchPhotoText(lines, query).map((m) => m.photoId);

describe('text in photos: matching a query against recognised lines', () => {
  it('matches case-insensitively and across full-width forms', () => {
    const lines = [line(1, 'BAKERY'), line(2, 'ＥＸＩＴ'), line(3, 'garden')];
    expect(ids(lines, 'bakery')).toEqual([1]);
    expect(ids(lines, 'Exit')).toEqual([2]);
    expect(ids(lines, 'GARDEN')).toEqual([3]);
  });

  it('tolerates one OCR slip in a long word (substitution, missing or extra letter), not in a short one', () => {
    const lines = [line(1, 'PHARMACV'), line(2, 'Librry'), line(3, 'Stattion'), line(4, 'CAT'), line(5, 'Observatorv Hil')];
    expect(ids(lines, 'pharmacy')).toEqual([1]);
    expect(ids(lines, 'library')).toEqual([2]);
    expect(ids(lines, 'station')).toEqual([3]);
    expect(ids(lines, 'car')).toEqual([]); // 3 letters: "cat" is another word, not a slip
    expect(ids(lines, 'observatory')).toEqual([5]);
    expect(ids(lines, 'pharmacist')).toEqual([]);
  });

  it('never lets a number slip: one digit off is another number', () => {
    const lines = [line(1, 'Tel 1588 7788'), line(2, 'Room 4721')];
    expect(ids(lines, '1588')).toEqual([1]);
    expect(ids(lines, '4722')).toEqual([]);
    expect(ids(lines, '47210')).toEqual([]);
  });

  it('ranks whole-word matches before a word inside a longer one, and both before a slip', () => {
    const lines = [line(1, 'BAKERV'), line(2, 'THEBAKERYSHOP'), line(3, 'Bakery'), line(4, 'bakery street')];
    const ranked = matchPhotoText(lines, 'bakery');
    expect(
      ranked
        .map((m) => m.photoId)
        .slice(0, 2)
        .sort(),
    ).toEqual([3, 4]);
    expect(ranked.map((m) => m.photoId).slice(2)).toEqual([2, 1]);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[2]!.score);
    expect(ranked[2]!.score).toBeGreaterThan(ranked[3]!.score);
  });

  it('needs every word of a multi-word query, and prefers them together as typed', () => {
    const lines = [line(1, 'exit'), line(1, 'only'), line(2, 'EXIT ONLY'), line(3, 'exit here')];
    const ranked = matchPhotoText(lines, 'exit only');
    expect(ranked.map((m) => m.photoId)).toEqual([2, 1]);
  });

  it('finds Chinese words inside a line without spaces, with one wrong character in a long word', () => {
    const lines = [line(1, '欢迎光临北京西站'), line(2, '图书馆'), line(3, '北京东站出口')];
    expect(ids(lines, '北京西站')).toEqual([1, 3]); // photo 3: 东 read for 西, one character in four
    expect(matchPhotoText(lines, '北京西站')[0]).toMatchObject({ photoId: 1, score: expect.any(Number) });
    expect(ids(lines, '图书馆')).toEqual([2]);
    expect(ids(lines, '书店')).toEqual([]);
  });

  it('reads Korean as spaced words', () => {
    expect(ids([line(1, '서울역 출구'), line(2, '부산')], '출구')).toEqual([1]);
  });

  it('splits a query into words of any script and ignores punctuation', () => {
    expect(queryTerms('  "Exit", ONLY!  ')).toEqual(['exit', 'only']);
    expect(queryTerms('...')).toEqual([]);
    expect(TERM_SCORES.word).toBeGreaterThan(TERM_SCORES.inside);
  });

  it('scores stay within 1, even for a whole phrase read with full confidence', () => {
    const [best] = matchPhotoText([line(1, 'PHARMACY 24', 1)], 'pharmacy 24');
    expect(best!.score).toBeLessThanOrEqual(1);
    expect(best!.score).toBeGreaterThan(0.99);
  });

  it('finds a number only whole, even run into letters, and a single letter only as a word', () => {
    const lines = [line(1, 'PHARMACY 24'), line(2, 'BUS 2'), line(3, 'OPEN 24H'), line(4, 'CAFE'), line(5, 'A')];
    expect(ids(lines, '2')).toEqual([2]);
    expect(ids(lines, '24').sort()).toEqual([1, 3]);
    expect(ids(lines, 'a')).toEqual([5]);
    expect(ids(lines, 'af')).toEqual([4]);
  });

  it('edit distance with a band', () => {
    expect(editDistanceAtMost('library', 'librry', 1)).toBe(true);
    expect(editDistanceAtMost('library', 'lbrry', 1)).toBe(false);
    expect(editDistanceAtMost('observatory', 'obsrvatorv', 2)).toBe(true);
  });
});

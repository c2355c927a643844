/**
 * Lower-case and without accents, for matching names as people type them: "tubingen" for Tübingen,
 * "sean" for Seán. NFD splits a letter from its marks, which are dropped; NFC then puts Hangul
 * syllables back together (NFD splits them into jamo, which are letters, not marks).
 */
export function foldMarks(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** The language a recognised line is written in, as far as its script tells. */
export type TextLanguage = 'en' | 'zh' | 'ko' | 'und';

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;
const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;

/**
 * By script, not by vocabulary: Hangul is Korean, Han is Chinese (the recogniser's Chinese model),
 * Latin letters are English (its only Latin training language); digits and symbols alone say nothing.
 */
export function lineLanguage(text: string): TextLanguage {
  if (HANGUL.test(text)) return 'ko';
  if (HAN.test(text)) return 'zh';
  if (LATIN.test(text)) return 'en';
  return 'und';
}

import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import ko from '../i18n/ko.json';
import { i18n, systemLocale, t } from './i18n.svelte';

describe('translations', () => {
  it('Korean has every English string, with the same placeholders', () => {
    const placeholders = (v: unknown) => [...JSON.stringify(v).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of Object.entries(en)) {
      expect(ko, `ko.json is missing ${key}`).toHaveProperty([key]);
      expect(new Set(placeholders((ko as Record<string, unknown>)[key])), key).toEqual(new Set(placeholders(value)));
    }
  });

  it('formats plurals and numbers per language', () => {
    i18n.locale = 'en';
    expect(t('library.photoCount', { count: 1 })).toBe('1 photo');
    expect(t('library.photoCount', { count: 100000 })).toBe('100,000 photos');
    i18n.locale = 'ko';
    expect(t('library.photoCount', { count: 3 })).toBe('사진 3장');
    expect(i18n.month('2024-03')).toBe('2024년 3월');
    i18n.locale = 'en';
    expect(i18n.month('2024-03')).toBe('March 2024');
    expect(i18n.month('unknown')).toBe('Date unknown');
  });

  it('follows the system language when asked to', () => {
    expect(systemLocale(['ko-KR', 'en'])).toBe('ko');
    expect(systemLocale(['de-DE'])).toBe('en');
  });
});

import en from '../i18n/en.json';
import ko from '../i18n/ko.json';

export type Locale = 'en' | 'ko';
type Plural = { one?: string; other: string };
type Messages = { [key: string]: string | Plural };

/** English is the source of truth for keys; a key missing in another language falls back to it. */
const MESSAGES: Record<Locale, Messages> = { en, ko };
export type MessageKey = keyof typeof en;

export function systemLocale(languages: readonly string[] = navigator.languages ?? []): Locale {
  return languages.some((l) => l.toLowerCase().startsWith('ko')) ? 'ko' : 'en';
}

/**
 * The current language as a rune: every `t()` read inside a template re-renders when it changes, so
 * switching to Korean needs no reload.
 */
class I18n {
  locale = $state<Locale>('en');

  t = (key: MessageKey, vars: Record<string, string | number> = {}): string => {
    const entry = MESSAGES[this.locale][key] ?? MESSAGES.en[key];
    if (entry === undefined) return key;
    const text = typeof entry === 'string' ? entry : this.plural(entry, vars.count);
    return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in vars ? this.format(vars[name]!) : `{${name}}`));
  };

  private plural(entry: Plural, count: string | number | undefined): string {
    const rule = typeof count === 'number' ? new Intl.PluralRules(this.locale).select(count) : 'other';
    return rule === 'one' && entry.one ? entry.one : entry.other;
  }

  private format(value: string | number): string {
    return typeof value === 'number' ? value.toLocaleString(this.locale) : value;
  }

  /** "March 2024" / "2024년 3월" for a YYYY-MM month key. */
  month = (key: string): string => {
    const [year, month] = key.split('-').map(Number);
    if (!year || !month) return this.t('library.unknownDate');
    return new Intl.DateTimeFormat(this.locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, 1));
  };

  dateTime = (iso: string | null): string => {
    if (!iso) return this.t('common.unknown');
    const date = new Date(iso);
    return Number.isNaN(date.getTime())
      ? iso
      : new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  };

  bytes = (n: number): string => {
    const units = ['B', 'KB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) {
      n /= 1000;
      i++;
    }
    return `${n.toLocaleString(this.locale, { maximumFractionDigits: i === 0 ? 0 : 1 })} ${units[i]}`;
  };

  duration = (seconds: number): string => {
    if (seconds < 60) return this.t('time.seconds', { count: Math.max(1, Math.round(seconds)) });
    if (seconds < 3600) return this.t('time.minutes', { count: Math.round(seconds / 60) });
    return this.t('time.hours', { count: Math.round((seconds / 3600) * 10) / 10 });
  };
}

export const i18n = new I18n();
export const t = i18n.t;

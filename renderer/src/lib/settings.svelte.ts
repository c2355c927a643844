import type { Settings } from '../../../src/common/api/app';
import { call } from './api';
import { i18n, systemLocale } from './i18n.svelte';
import { toasts } from './toast.svelte';

// The engine sends the real values at start; these only cover the instant before (no zod in the bundle).
const DEFAULT_SETTINGS: Settings = { language: 'system', theme: 'system', device: 'auto', modelMirror: '' };

/** The user's settings, applied to the page (language, theme) as soon as they load or change. */
class SettingsManager {
  value = $state<Settings>({ ...DEFAULT_SETTINGS });
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.apply(await call('settings.get', {}));
    } catch (error) {
      this.error = (error as Error).message;
      this.apply(this.value);
    }
  }

  async update(patch: Partial<Settings>): Promise<void> {
    // Apply first so the switch feels instant; the saved value wins when it comes back.
    this.apply({ ...this.value, ...patch });
    try {
      this.apply(await call('settings.set', patch));
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** Saves only what the app accepts (no optimistic apply, e.g. a typed URL); returns why it was refused. */
  async save(patch: Partial<Settings>): Promise<string | null> {
    try {
      this.apply(await call('settings.set', patch));
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }

  private apply(settings: Settings): void {
    this.value = settings;
    const locale = settings.language === 'system' ? systemLocale() : settings.language;
    // A toast was written in the old language: drop it rather than leave a sentence in the wrong one.
    if (locale !== i18n.locale) toasts.dismiss();
    i18n.locale = locale;
    document.documentElement.lang = i18n.locale;
    document.documentElement.dataset.theme = settings.theme;
  }
}

export const settings = new SettingsManager();

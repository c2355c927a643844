import { call } from './api';

/**
 * The library's "read text in photos" switch: a library setting (the engine's settings table), not an
 * app one, so `facet index` in a terminal honours it too. On until the user turns it off.
 */
class TextReading {
  enabled = $state(true);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.enabled = (await call('text.reading', {})).enabled;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  async set(enabled: boolean): Promise<void> {
    this.enabled = enabled; // the switch moves at once; the saved value wins when it comes back
    try {
      this.enabled = (await call('text.setReading', { enabled })).enabled;
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
      await this.load();
    }
  }
}

export const textReading = new TextReading();

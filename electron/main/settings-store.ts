import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, type Settings, settingsSchema } from '../../src/common/api/app';

/**
 * The user's settings as a small JSON file. Plain Node (no electron import) so the e2e binding uses the
 * very same store. A damaged or hand-edited file falls back to defaults field by field instead of
 * refusing to start.
 */
export class SettingsStore {
  private current: Settings;

  constructor(private readonly file: string) {
    this.current = SettingsStore.read(file);
  }

  private static read(file: string): Settings {
    try {
      const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
      for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
        const field = settingsSchema.shape[key].safeParse(raw[key]);
        if (field.success) merged[key] = field.data;
      }
      return merged as Settings;
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
  }

  get(): Settings {
    return { ...this.current };
  }

  set(patch: Partial<Settings>): Settings {
    this.current = { ...this.current, ...patch };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // Write then rename, so a crash mid-write never leaves a truncated settings file.
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.current, null, 2));
    fs.renameSync(tmp, this.file);
    return this.get();
  }
}

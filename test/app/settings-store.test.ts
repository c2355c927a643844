import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsHandlers } from '../../electron/main/settings-handlers';
import { SettingsStore } from '../../electron/main/settings-store';
import { dispatch } from '../../src/engine/api/dispatch';
import type { EngineContext } from '../../src/engine/context';
import { tempDir } from '../support/temp';

describe('settings persist across restarts', () => {
  it('starts from defaults, saves a change, and reads it back in a new store', () => {
    const file = path.join(tempDir('facet-settings-'), 'nested', 'settings.json');
    expect(new SettingsStore(file).get()).toEqual({ language: 'system', theme: 'system', device: 'auto' });
    new SettingsStore(file).set({ language: 'ko', theme: 'dark' });
    expect(new SettingsStore(file).get()).toEqual({ language: 'ko', theme: 'dark', device: 'auto' });
  });

  it('keeps the valid fields of a damaged or hand-edited file and defaults the rest', () => {
    const file = path.join(tempDir('facet-settings-'), 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ language: 'ko', theme: 'neon', device: 42 }));
    expect(new SettingsStore(file).get()).toEqual({ language: 'ko', theme: 'system', device: 'auto' });
    fs.writeFileSync(file, '{ not json');
    expect(new SettingsStore(file).get()).toEqual({ language: 'system', theme: 'system', device: 'auto' });
  });
});

describe('settings.set through the API', () => {
  it('changes only the fields given: switching the theme keeps the language', async () => {
    const store = new SettingsStore(path.join(tempDir('facet-settings-'), 'settings.json'));
    const handlers = settingsHandlers(store);
    const ctx = {} as EngineContext; // the settings handlers use no engine state
    await dispatch(ctx, handlers, 'settings.set', { language: 'ko' });
    await expect(dispatch(ctx, handlers, 'settings.set', { theme: 'dark' })).resolves.toEqual({
      ok: true,
      value: { language: 'ko', theme: 'dark', device: 'auto' },
    });
    await expect(dispatch(ctx, handlers, 'settings.set', { theme: 'sepia' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });
});

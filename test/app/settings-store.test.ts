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
    expect(new SettingsStore(file).get()).toEqual({ language: 'system', theme: 'system', device: 'auto', modelMirror: '' });
    new SettingsStore(file).set({ language: 'ko', theme: 'dark' });
    expect(new SettingsStore(file).get()).toEqual({ language: 'ko', theme: 'dark', device: 'auto', modelMirror: '' });
  });

  it('keeps the valid fields of a damaged or hand-edited file and defaults the rest', () => {
    const file = path.join(tempDir('facet-settings-'), 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ language: 'ko', theme: 'neon', device: 42 }));
    expect(new SettingsStore(file).get()).toEqual({ language: 'ko', theme: 'system', device: 'auto', modelMirror: '' });
    fs.writeFileSync(file, '{ not json');
    expect(new SettingsStore(file).get()).toEqual({ language: 'system', theme: 'system', device: 'auto', modelMirror: '' });
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
      value: { language: 'ko', theme: 'dark', device: 'auto', modelMirror: '' },
    });
    await expect(dispatch(ctx, handlers, 'settings.set', { theme: 'sepia' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });
});

describe('the model mirror setting (FACET_MODEL_MIRROR in Settings)', () => {
  it('takes an http(s) URL or empty (none), refuses anything else with a clear error, and survives a restart', async () => {
    const file = path.join(tempDir('facet-settings-'), 'settings.json');
    const handlers = settingsHandlers(new SettingsStore(file));
    const ctx = {} as EngineContext;
    const set = (modelMirror: string) => dispatch(ctx, handlers, 'settings.set', { modelMirror });
    await expect(set(' http://192.168.1.5:8080/facet ')).resolves.toMatchObject({
      ok: true,
      value: { modelMirror: 'http://192.168.1.5:8080/facet' },
    });
    expect(new SettingsStore(file).get().modelMirror).toBe('http://192.168.1.5:8080/facet');
    for (const bad of ['models.example.org', 'ftp://models.example.org/facet', 'file:///srv/models', `https://${'x'.repeat(2100)}.org`]) {
      const refused = await set(bad);
      expect(refused, bad).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect(JSON.stringify(refused), bad).toMatch(/model mirror|2048|too_big|at most/i);
    }
    expect(new SettingsStore(file).get().modelMirror).toBe('http://192.168.1.5:8080/facet'); // a refusal loses nothing
    await expect(set('')).resolves.toMatchObject({ ok: true, value: { modelMirror: '' } });
    fs.writeFileSync(file, JSON.stringify({ modelMirror: 'javascript:alert(1)' }));
    expect(new SettingsStore(file).get().modelMirror).toBe(''); // a hand-edited bad value falls back to none
  });
});

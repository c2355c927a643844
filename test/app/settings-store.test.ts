import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../electron/main/settings-store';
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

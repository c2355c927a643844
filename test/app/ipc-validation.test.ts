import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../src/common/api';
import type { Result } from '../../src/common/result';
import { apiHandlers } from '../../src/engine/api/handlers';
import { Engine } from '../../src/engine/engine';
import { tempDir } from '../support/temp';

// ipc.ts registers on Electron's ipcMain; here ipcMain is a recorder so the real handlers can be invoked.
const ipc = vi.hoisted(() => ({ handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (name: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => ipc.handlers.set(name, fn),
    removeHandler: (name: string) => ipc.handlers.delete(name),
  },
}));
vi.mock('electron-log/main', () => ({ default: { warn: () => {}, error: () => {} } }));

const APP_URL = 'file:///opt/Facet/resources/app.asar/out/renderer/index.html';
const appFrame = { url: APP_URL, parent: null };

describe('IPC: one generic registration over the contract, validated by zod, sender checked', () => {
  let engine: Engine;
  const invoke = (channel: string, input: unknown, frame: unknown = appFrame) => {
    const handler = ipc.handlers.get(`facet:${channel}`);
    if (!handler) throw new Error(`no IPC handler for ${channel}`);
    return handler({ senderFrame: frame }, input) as Promise<Result<unknown>>;
  };

  beforeAll(async () => {
    engine = Engine.open({ libraryDir: path.join(tempDir('facet-ipc-'), 'library') });
    const { registerIpc } = await import('../../electron/main/ipc');
    registerIpc({ rendererUrl: APP_URL, context: () => engine.ctx, handlers: () => apiHandlers });
  });
  afterAll(() => engine.close());

  it('registers every channel of the contract and nothing else', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((c) => `facet:${c}`).sort());
  });

  it('answers a valid call with an ok envelope', async () => {
    await expect(invoke('library.photos', { limit: 10 })).resolves.toEqual({ ok: true, value: { total: 0, photos: [] } });
  });

  it.each([
    ['a path where a photo id belongs', 'library.photo', { id: '/etc/passwd' }],
    ['a numeric string id', 'library.photo', { id: '12' }],
    ['a negative id', 'library.photo', { id: -3 }],
    ['a fractional id', 'library.photo', { id: 1.5 }],
    ['an id beyond the safe integers', 'library.photo', { id: 2 ** 60 }],
    ['a missing id', 'library.photo', {}],
    ['an unknown extra key', 'library.photos', { limit: 10, sql: 'DROP TABLE photos' }],
    ['a limit out of range', 'library.photos', { limit: 1e9 }],
    ['an array instead of an object', 'library.status', [1, 2]],
    ['a string instead of an object', 'folders.list', 'all'],
    ['an object id', 'library.photo', { id: { valueOf: 1 } }],
    ['a face id list with a path in it', 'library.faces', { photoId: '../../x' }],
    ['an empty folder path', 'folders.add', { path: '' }],
  ])('rejects %s with a clear invalid_argument error', async (_what, channel, input) => {
    const result = await invoke(channel, input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_argument');
      expect(result.error.message).toMatch(new RegExp(`^Invalid arguments for ${channel.replace('.', '\\.')}`));
    }
  });

  it('rejects ids of the wrong kind: a face id on the photo protocol resolves to no photo', async () => {
    const result = await invoke('library.photo', { id: 987654 });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses calls from any frame but our own top-level page', async () => {
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///home/user/Downloads/page.html', parent: null },
      { url: APP_URL, parent: { url: APP_URL } },
      null,
    ]) {
      await expect(invoke('library.status', {}, frame)).resolves.toMatchObject({
        ok: false,
        error: { code: 'invalid_argument', message: 'This frame may not call the Facet API.' },
      });
    }
  });

  it('answers unknown channels (the preload also refuses them) with a clear error', async () => {
    const { dispatch } = await import('../../src/engine/api/dispatch');
    await expect(dispatch(engine.ctx, apiHandlers, 'fs.readFile', { path: '/etc/passwd' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringContaining('Unknown API channel: "fs.readFile"') },
    });
    await expect(dispatch(engine.ctx, apiHandlers, '__proto__', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });
});

describe('the app channels validate their own inputs', () => {
  it.each([
    ['app.openExternal', { url: 'file:///etc/passwd' }],
    ['app.openExternal', { url: 'javascript:alert(1)' }],
    ['app.openExternal', { url: 'facet://photo/1' }],
    ['app.showInFolder', { photoId: '/home/user/secret.jpg' }],
    ['app.trashPhotos', { photoIds: [] }],
    ['app.trashPhotos', { photoIds: ['../a.jpg'] }],
    ['app.trashPhotos', { photoIds: [1], confirmed: true }], // strict: no extra keys
    ['settings.set', { theme: 'neon' }],
    ['settings.set', { language: 'fr' }],
    ['settings.set', { libraryPath: '/tmp' }],
  ])('%s refuses %j', async (channel, input) => {
    const { apiChannels } = await import('../../src/common/api');
    expect(apiChannels[channel as keyof typeof apiChannels].input.safeParse(input).success).toBe(false);
  });
});

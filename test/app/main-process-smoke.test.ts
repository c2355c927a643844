import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type FileInfo, type FolderInfo } from '../../src/common/api';
import type { IndexProgress } from '../../src/common/api/library';
import { Engine } from '../../src/engine/engine';
import { defaultLibraryDir } from '../../src/engine/library/paths';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../support/shared';
import { tempDir } from '../support/temp';
import { MainProcess, buildApp } from './support/main-process';

/**
 * The Electron shell's own code, run in CI: the BUILT main bundle (out/main/index.js), its preload and
 * its worker (out/main/worker.js, a real child process) under plain Node, with a recording stand-in
 * for the `electron` module (test/app/support/electron-stand-in). The stand-in only records and
 * connects; every decision here is Facet's.
 */
const apps: MainProcess[] = [];
function launch(options: Parameters<typeof MainProcess.launch>[0]): MainProcess {
  const app = MainProcess.launch(options);
  apps.push(app);
  return app;
}
afterAll(() => apps.forEach((app) => app.kill()));

beforeAll(() => buildApp(), 300_000);

async function waitForIndexRun(app: MainProcess, after: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    const done = app.events.slice(after).some((e) => e.name === 'index.progress' && (e.payload as IndexProgress).phase === 'done');
    if (done) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no index run finished within 120 s');
}

async function files(app: MainProcess): Promise<FileInfo[]> {
  const result = await app.call('library.files', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeWithShared('the main process, built, under a recording Electron stand-in', () => {
  const home = tempDir('facet-smoke-home-');
  const photosA = path.join(home, 'Pictures', 'photos');
  const photosB = path.join(home, 'Pictures', 'photos2');
  let app: MainProcess;

  beforeAll(async () => {
    fs.mkdirSync(photosA, { recursive: true });
    fs.mkdirSync(photosB, { recursive: true });
    for (const name of ['1.jpg', '2.jpg']) fs.copyFileSync(sharedPhotos('faces-album', name), path.join(photosA, name));
    fs.copyFileSync(sharedPhotos('faces-album', '3.jpg'), path.join(photosB, '3.jpg'));
    app = launch({ home, env: { FACET_MODELS_DIR: SHARED_MODELS } });
    await app.waitForRecord('contextBridge.exposeInMainWorld');
    await app.subscribe(['index.progress', 'library.changed', 'worker.status', 'watcher.error']);
  });

  it('opens one window with the secure webPreferences and the built preload', async () => {
    const windows = app.records('BrowserWindow');
    expect(windows).toHaveLength(1);
    const prefs = (windows[0]!.options as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(fs.existsSync(prefs.preload as string)).toBe(true);
    expect(app.records('session.onHeadersReceived')).toHaveLength(1);
    expect(app.records('session.setPermissionRequestHandler')).toHaveLength(1);
    expect(app.records('webContents.setWindowOpenHandler')).toHaveLength(1);
    expect(app.records('protocol.registerSchemesAsPrivileged')).toHaveLength(1);
  });

  it("uses the CLI's default library: app.getPath('userData') is the engine's default", async () => {
    const info = await app.call('app.info', {});
    expect(info.ok && info.value.libraryPath).toBe(defaultLibraryDir('linux', { XDG_CONFIG_HOME: path.join(home, '.config') }));
    expect(info.ok && info.value.libraryPath).toBe(path.join(home, '.config', 'Facet'));
  });

  it('answers index.progress through the real worker, which runs every model; main never creates an ORT session', async () => {
    const progress = await app.call('index.progress', {});
    expect(progress).toMatchObject({ ok: true, value: { phase: 'idle' } });
    const [fork] = app.records('utilityProcess.fork');
    expect(fork).toMatchObject({ modulePath: expect.stringMatching(/out[\\/]main[\\/]worker\.js$/), serviceName: 'Facet worker' });

    // Add both folders (main: plain SQL), index (worker: face models), search (worker), edit a person (main).
    for (const folder of [photosA, photosB]) expect((await app.call('folders.add', { path: folder })).ok).toBe(true);
    const before = app.events.length;
    expect(await app.call('index.start', {})).toEqual({ ok: true, value: { started: true } });
    await waitForIndexRun(app, before);
    expect((await files(app)).map((f) => f.status)).toEqual(['indexed', 'indexed', 'indexed']);
    await app.call('search.query', { text: 'a person smiling' }); // ok or "no CLIP model": either way, in the worker
    const people = await app.call('people.list', {});
    const person = people.ok ? people.value[0] : undefined;
    if (person) expect((await app.call('people.name', { id: person.id, name: 'Smoke Test' })).ok).toBe(true);

    const sessions = app.records('ort.InferenceSession.create');
    expect(sessions.length).toBeGreaterThan(0);
    expect(new Set(sessions.map((s) => s.role))).toEqual(new Set(['worker']));
    expect(new Set(sessions.map((s) => s.pid))).toEqual(new Set([fork!.childPid]));
  });

  it('journey 7, honest status: the provider comes from the worker that ran the models', async () => {
    const status = await app.call('library.status', {});
    expect(status.ok).toBe(true);
    if (!status.ok) return;
    // The main process never created a session, so a provider and loaded models can only come from the worker.
    expect(status.value.executionProvider).toBe('cpu');
    expect(status.value.modelsLoaded.length).toBeGreaterThanOrEqual(2);
    const workerSessions = app.records('ort.InferenceSession.create').map((s) => path.basename(s.model as string));
    for (const model of status.value.modelsLoaded) expect(workerSessions).toContain(model);
    // Model coverage and the job queue, as the worker sees them.
    expect(status.value.clipCoverage).toEqual([]); // no CLIP model here
    expect(status.value.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'index', done: 3, total: 3, failed: 0 })]));
    expect(status.value.counts.indexed).toBe(3);
    expect(status.value.models.filter((m) => m.installed).map((m) => m.task)).toEqual(
      expect.arrayContaining(['face-detection', 'face-embedding']),
    );
    expect(await app.call('app.workerStatus', {})).toEqual({ ok: true, value: { state: 'ready', crashes: 0, message: null } });
  });

  it('journey 6, watched folders: a photo added, changed or deleted while the app runs appears, updates or goes missing, rescanning only its folder', async () => {
    const folderB = async () => ((await app.call('folders.list', {})) as { value: FolderInfo[] }).value.find((f) => f.path === photosB)!;
    const scannedB = (await folderB()).lastScanAt;

    fs.copyFileSync(sharedPhotos('faces-album', '4.jpg'), path.join(photosA, 'new.jpg'));
    const added = await waitFor(
      async () => (await files(app)).find((f) => f.path.endsWith('new.jpg') && f.status === 'indexed'),
      'the added photo',
    );
    expect(added.faces).toBeGreaterThanOrEqual(1); // 4.jpg shows a face

    const changedPath = path.join(photosA, '1.jpg');
    const oldSize = fs.statSync(changedPath).size;
    fs.copyFileSync(sharedPhotos('faces-album', '5.jpg'), changedPath);
    const newSize = fs.statSync(changedPath).size;
    expect(newSize).not.toBe(oldSize);
    await waitFor(async () => {
      const photo = (await files(app)).find((f) => f.path === changedPath);
      const detail = photo && (await app.call('library.photo', { id: photo.id }));
      return detail && detail.ok && detail.value.size === newSize && detail.value.status === 'indexed' ? true : undefined;
    }, 'the changed photo');

    fs.rmSync(path.join(photosA, '2.jpg'));
    await waitFor(
      async () => ((await files(app)).find((f) => f.path.endsWith(`${path.sep}2.jpg`))?.status === 'missing' ? true : undefined),
      'the deleted photo',
    );

    // Only the folder that changed was rescanned: photos2 was not walked again.
    expect((await folderB()).lastScanAt).toBe(scannedB);
    expect(app.events.filter((e) => e.name === 'watcher.error')).toEqual([]);
  });

  it('serves thumbnails over facet:// to the window', async () => {
    const photo = (await files(app)).find((f) => f.status === 'indexed')!;
    expect(await app.fetch(`facet://thumb/${photo.id}`)).toMatchObject({ status: 200, type: 'image/webp' });
    expect((await app.fetch('facet://thumb/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
  });

  it('trash: moves present library photos without a second, native question, and refuses any other id whole', async () => {
    const all = await files(app);
    const present = all.find((f) => f.path === path.join(photosB, '3.jpg'))!;
    const gone = all.find((f) => f.status === 'missing')!; // 2.jpg, deleted in journey 6
    const trashedBefore = app.records('shell.trashItem').length;
    const refusals: [number[], string][] = [
      [[present.id, 999_999], 'not_found'],
      [[gone.id], 'offline'],
      [[999_999, present.id], 'not_found'],
    ];
    for (const [photoIds, code] of refusals) {
      const result = await app.call('app.trashPhotos', { photoIds });
      expect(result.ok ? 'moved' : result.error.code, JSON.stringify(photoIds)).toBe(code);
    }
    expect(app.records('shell.trashItem')).toHaveLength(trashedBefore); // nothing moved by a refused call

    // The renderer's own dialog was the confirmation: main moves at once, each photo once.
    expect(await app.call('app.trashPhotos', { photoIds: [present.id, present.id] })).toEqual({
      ok: true,
      value: { trashed: [present.id] },
    });
    expect(app.records('shell.trashItem').slice(trashedBefore)).toEqual([expect.objectContaining({ file: present.path })]);
    expect(app.records('dialog.showMessageBox')).toEqual([]);
  });

  it('has a handler, in the process its contract names, for every channel the preload can send', async () => {
    expect(
      app
        .records('ipcMain.handle')
        .map((r) => r.name as string)
        .filter((name) => name.startsWith('facet:'))
        .sort(),
    ).toEqual(CHANNEL_NAMES.map((name) => `facet:${name}`).sort());
    for (const channel of CHANNEL_NAMES) {
      const result = await app.call(channel, {});
      // {} is invalid for many channels; what must never happen is "not available here".
      if (!result.ok) expect(result.error.message, channel).not.toMatch(/not available here/);
    }
    expect((await app.call('no.such' as never, {})).ok).toBe(false);
  });

  it('quits cleanly: the worker closes the library, so its next start does not suspect a crash', async () => {
    expect(await app.quit()).toBe(0);
    expect(fs.existsSync(path.join(home, '.config', 'Facet', '.worker-running'))).toBe(false);
    expect(app.records('utilityProcess.exit').at(-1)).toMatchObject({ code: 0 });
  });
});

describeWithShared('a photo that crashes the worker', () => {
  it('restarts the worker, reads the suspects alone, marks the photo failed ("crashed the decoder") only when it crashes again alone, and indexes the rest', async () => {
    const home = tempDir('facet-smoke-crash-');
    const photos = path.join(home, 'photos');
    fs.mkdirSync(photos);
    for (const name of ['1.jpg', '2.jpg', '3.jpg', '4.jpg', '5.jpg'])
      fs.copyFileSync(sharedPhotos('faces-album', name), path.join(photos, name));
    fs.copyFileSync(sharedPhotos('faces-album', '6.jpg'), path.join(photos, 'crash-6.jpg'));
    const app = launch({
      home,
      env: { FACET_MODELS_DIR: SHARED_MODELS },
      workerExecArgv: ['--require', path.join(__dirname, 'support', 'worker-crashes-on-photo.cjs')],
    });
    await app.waitForRecord('contextBridge.exposeInMainWorld');
    expect((await app.call('folders.add', { path: photos })).ok).toBe(true);
    expect((await app.call('index.start', {})).ok).toBe(true);

    const crashed = await waitFor(
      async () => {
        const list = await app.call('library.files', {});
        const row = list.ok ? list.value.find((f) => f.path.endsWith('crash-6.jpg')) : undefined;
        const rest = list.ok ? list.value.filter((f) => !f.path.endsWith('crash-6.jpg')) : [];
        return row?.status === 'failed' && rest.length === 5 && rest.every((f) => f.status === 'indexed') ? row : undefined;
      },
      'the crashing photo to be set aside and the rest indexed',
      120_000,
    );
    expect(crashed.error).toMatch(/crashed the decoder/);
    const exits = app.records('utilityProcess.exit');
    // One unclean exit never condemns a photo (it could be a kill or a power cut): the first crash
    // makes the photos in flight suspects, the second, with the culprit read alone, names it.
    expect(exits).toHaveLength(2);
    expect(exits.every((e) => e.signal === 'SIGSEGV')).toBe(true);
    expect(app.records('dialog.showMessageBox')).toEqual([]);
    expect(await app.quit()).toBe(0);
  });
});

describe('start-up and worker failures', () => {
  it('a start-up failure shows the error dialog in the user’s language, releases the lock and quits', async () => {
    const home = tempDir('facet-smoke-fail-');
    const library = path.join(home, 'library');
    Engine.open({ libraryDir: library }).close();
    const db = new Database(path.join(library, 'facet.db'));
    db.pragma('user_version = 999'); // a library written by a newer Facet
    db.close();
    const app = launch({ home, env: { FACET_LIBRARY: library }, locale: 'ko-KR' });
    expect(await app.exited).toBe(1);
    const [shown] = app.records('dialog.showMessageBox');
    const options = shown!.options as { type: string; message: string; detail: string; buttons: string[] };
    expect(options.type).toBe('error');
    expect(options.message).toContain(library);
    expect(options.message).toContain('더 새로운 버전의 Facet');
    expect(options.detail).toMatch(/로그에 있습니다: .*\.log/);
    expect(options.buttons).toEqual(['종료', '다른 라이브러리 열기…']);
    expect(app.records('BrowserWindow')).toEqual([]);
    expect(app.records('app.releaseSingleInstanceLock')).toHaveLength(1);
    expect(app.records('app.exit')).toEqual([expect.objectContaining({ code: 1 })]);
  });

  it('"Open another library…" relaunches the app on the folder the user picks', async () => {
    const home = tempDir('facet-smoke-other-');
    const notAFolder = path.join(home, 'library-is-a-file');
    fs.writeFileSync(notAFolder, 'not a library');
    const other = path.join(home, 'other-library');
    const app = launch({ home, env: { FACET_LIBRARY: notAFolder }, dialogs: [1, other] });
    expect(await app.exited).toBe(0);
    const [shown] = app.records('dialog.showMessageBox');
    expect((shown!.options as { message: string }).message).toContain(`Facet cannot write to its library at ${notAFolder}`);
    const relaunches = app.records('app.relaunch');
    expect(relaunches).toHaveLength(1);
    expect((relaunches[0]!.args as string[]).at(-1)).toBe(`--library=${other}`);
    expect(app.records('app.releaseSingleInstanceLock')).toHaveLength(1);
  });

  it("a warning the worker prints reaches the app's log file (GPU asked for, none here: the models run on the CPU)", async () => {
    const home = tempDir('facet-smoke-log-');
    const photos = path.join(home, 'Pictures');
    fs.mkdirSync(photos, { recursive: true });
    fs.copyFileSync(sharedPhotos('faces-album', '1.jpg'), path.join(photos, '1.jpg'));
    const userData = path.join(home, '.config', 'Facet');
    fs.mkdirSync(userData, { recursive: true });
    fs.writeFileSync(path.join(userData, 'settings.json'), JSON.stringify({ device: 'gpu' }));
    const app = launch({ home, env: { FACET_MODELS_DIR: SHARED_MODELS } });
    await app.waitForRecord('contextBridge.exposeInMainWorld');
    await app.subscribe(['index.progress']);
    expect((await app.call('folders.add', { path: photos })).ok).toBe(true);
    const before = app.events.length;
    expect(await app.call('index.start', {})).toEqual({ ok: true, value: { started: true } });
    await waitForIndexRun(app, before);
    expect(await app.quit()).toBe(0);
    // The worker's console reaches no file by itself (electron-log writes from the main process).
    const logs = (fs.readdirSync(home, { recursive: true }) as string[]).filter((f) => f.endsWith('main.log'));
    expect(logs).toHaveLength(1);
    expect(fs.readFileSync(path.join(home, logs[0]!), 'utf8')).toMatch(/Worker: \[facet\] GPU requested but .+/);
  });

  it('a worker that dies before ready fails the pending call fast; after 3 crashes in a minute the app says so and offers a restart', async () => {
    const home = tempDir('facet-smoke-dies-');
    const app = launch({ home, workerExecArgv: ['--require', path.join(__dirname, 'support', 'worker-dies-on-init.cjs')] });
    await app.waitForRecord('contextBridge.exposeInMainWorld');
    const first = await app.call('index.progress', {});
    expect(first).toMatchObject({
      ok: false,
      error: { code: 'worker_unavailable', message: expect.stringMatching(/stopped unexpectedly|not running|Restarting/) },
    });

    const gaveUp = await app.waitForRecord('dialog.showMessageBox', () => true, 30_000);
    const options = gaveUp.options as { title: string; message: string; buttons: string[] };
    expect(options.title).toBe('Facet’s background worker keeps crashing');
    expect(options.message).toContain('crashed 3 times within a minute');
    expect(options.buttons).toEqual(['Restart it', 'Not now']);
    expect(app.records('utilityProcess.fork')).toHaveLength(3);

    const status = await app.call('app.workerStatus', {});
    expect(status).toMatchObject({ ok: true, value: { state: 'crashed', crashes: 3 } });
    expect(await app.call('search.query', { text: 'cat' })).toMatchObject({
      ok: false,
      error: { code: 'worker_unavailable', message: expect.stringContaining('stopped restarting it') },
    });
    // Reads and people edits live in main and keep working meanwhile.
    expect(await app.call('library.photos', {})).toMatchObject({ ok: true, value: { total: 0 } });
    expect(await app.quit()).toBe(0);
  });
});

/**
 * Facet's main process: lifecycle and wiring only. Everything with logic lives in the files it imports
 * (window security, IPC, media protocol, the worker, folder watcher, OS integration, start-up failure).
 * The main process answers reads and people edits as plain SQL; every channel that loads a model or
 * writes derived data runs in the worker (see `runsIn` in src/common/api/channel.ts).
 */
import path from 'node:path';
import { type BrowserWindow, app, dialog } from 'electron';
import log from 'electron-log/main';
import type { FolderInfo } from '../../src/common/api';
import type { ApiEvents, EventName } from '../../src/common/api/events';
import { dispatch } from '../../src/engine/api/dispatch';
import { appHandlers } from './app-handlers';
import { type EngineHandle, openAppEngine } from './engine-handle';
import { eventSender } from './events';
import { FolderWatcher } from './folder-watcher';
import { routeChannels } from './handlers';
import { registerIpc } from './ipc';
import { libraryFromArgs, relaunchArgs } from './library-choice';
import { type Language, pickLanguage, say } from './messages';
import { handleMediaProtocol, registerMediaScheme } from './protocol';
import { SettingsStore } from './settings-store';
import { OPEN_OTHER_LIBRARY, startupFailureDialog } from './startup-failure';
import { createMainWindow, rendererUrl } from './window';
import { WorkerHost } from './worker-host';

log.initialize();
registerMediaScheme();

if (!app.requestSingleInstanceLock()) {
  // A second launch only brings the first window forward: two writers on one library help nobody.
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  const settings = new SettingsStore(path.join(app.getPath('userData'), 'settings.json'));
  // Asked when needed: the system's languages are known only once the app is ready.
  const language = () => pickLanguage(settings.get().language, [app.getLocale(), ...app.getPreferredSystemLanguages()]);
  const libraryRoot = libraryFromArgs(process.argv) ?? path.resolve(process.env.FACET_LIBRARY || app.getPath('userData'));
  app
    .whenReady()
    .then(() => start({ settings, language, libraryRoot, getWindow: () => mainWindow, setWindow: (w) => (mainWindow = w) }))
    .catch((error: unknown) => failStartup(error, language(), libraryRoot));
}

interface StartContext {
  settings: SettingsStore;
  language: () => Language;
  libraryRoot: string;
  getWindow: () => BrowserWindow | null;
  setWindow: (window: BrowserWindow) => void;
}

async function start({ settings, language, libraryRoot, getWindow, setWindow }: StartContext): Promise<void> {
  const toWindow = eventSender(getWindow);
  const init = {
    libraryRoot,
    nativeBinding: process.env.FACET_BETTER_SQLITE3_BINDING || undefined,
    modelsDir: process.env.FACET_MODELS_DIR || undefined,
    device: settings.get().device,
    modelMirror: settings.get().modelMirror || undefined,
  };
  const refreshWatchedFolders = async () => {
    const result = await dispatch(engine.ctx, engine.handlers, 'folders.list', {});
    if (result.ok) await watcher.setFolders((result.value as FolderInfo[]).map(({ id, path: folder }) => ({ id, path: folder })));
  };
  const engine: EngineHandle = openAppEngine(
    {
      ...init,
      emit: (name, payload) => {
        toWindow(name, payload);
        // Keep the watcher in step with the folder list the user edits in Settings.
        if (name === 'library.changed' && (payload as ApiEvents['library.changed']).reason === 'folders') void refreshWatchedFolders();
      },
    },
    'main',
  );
  const worker = new WorkerHost({
    entry: path.join(__dirname, 'worker.js'),
    init,
    emit: <E extends EventName>(name: E, payload: ApiEvents[E]) => toWindow(name, payload),
    onGaveUp: (status) => void offerWorkerRestart(worker, status.crashes, language(), getWindow()),
  });
  const watcher = new FolderWatcher({
    rescan: (folderIds) =>
      void worker.call('index.start', { folderIds }).then((result) => {
        // Busy indexing, or the worker is restarting: ask again after the next settle, not never.
        if (
          !result.ok &&
          (result.error.code === 'conflict' || (result.error.code === 'worker_unavailable' && worker.status.state !== 'crashed'))
        )
          watcher.requeue(folderIds);
      }),
    problem: (problem) => {
      log.warn(`Watcher: ${problem.message}`);
      toWindow('watcher.error', problem);
    },
  });

  try {
    const osAndSettings = appHandlers(getWindow, settings);
    const handlers = routeChannels(
      {
        ...osAndSettings,
        // Downloads run in the worker: a new mirror reaches it at once (and every later start, via init).
        'settings.set': async (ctx, patch) => {
          const before = settings.get().modelMirror;
          const saved = await osAndSettings['settings.set'](ctx, patch);
          if (saved.modelMirror !== before) worker.setModelMirror(saved.modelMirror);
          return saved;
        },
        'app.workerStatus': () => worker.status,
        'app.restartWorker': async () => (await worker.restart().catch(() => {}), worker.status),
      },
      engine.handlers,
      worker,
    );
    void worker.start().catch((error: unknown) => log.error('The worker did not start', error));
    const windowOptions = {
      devServerUrl: process.env.ELECTRON_RENDERER_URL,
      preloadPath: path.join(__dirname, '../preload/index.js'),
      indexHtmlPath: path.join(__dirname, '../renderer/index.html'),
      iconPath: path.join(__dirname, '../../resources/icon.png'),
    };
    registerIpc({ rendererUrl: rendererUrl(windowOptions), context: () => engine.ctx, handlers: () => handlers });
    handleMediaProtocol(() => engine.ctx.library);
    setWindow(createMainWindow(windowOptions));
    await refreshWatchedFolders();
  } catch (error) {
    await worker.stop();
    await watcher.close();
    engine.close();
    throw error;
  }

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    // Let the worker close the library cleanly first, so its next start does not suspect a crash.
    event.preventDefault();
    closing = true;
    void Promise.allSettled([worker.stop(), watcher.close()]).then(() => {
      engine.close();
      app.quit();
    });
  });
}

/** Start-up failed: say what, where the log is and what to try; then quit or open another library. */
async function failStartup(error: unknown, language: Language, libraryRoot: string): Promise<void> {
  log.error('Start-up failed', error);
  const logFile = logFilePath();
  const { response } = await dialog.showMessageBox(startupFailureDialog(error, { language, library: libraryRoot, logFile }));
  app.releaseSingleInstanceLock();
  if (response === OPEN_OTHER_LIBRARY) {
    const picked = await dialog.showOpenDialog({
      title: say(language, 'startup.pickLibrary'),
      properties: ['openDirectory', 'createDirectory'],
    });
    const folder = picked.canceled ? undefined : picked.filePaths[0];
    if (folder) {
      app.relaunch({ args: relaunchArgs(process.argv.slice(1), folder) });
      app.exit(0);
      return;
    }
  }
  app.exit(1);
}

/** The worker crashed too often: tell the user and let them restart it. */
async function offerWorkerRestart(worker: WorkerHost, crashes: number, language: Language, window: BrowserWindow | null): Promise<void> {
  const logFile = logFilePath();
  const options = {
    type: 'warning' as const,
    title: say(language, 'worker.title'),
    message: say(language, 'worker.message', { crashes }),
    detail: say(language, 'worker.detail', { log: logFile }),
    buttons: [say(language, 'worker.restart'), say(language, 'worker.later')],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  };
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  if (response === 0) await worker.restart().catch((error: unknown) => log.error('The worker did not restart', error));
}

/** Where electron-log writes; asking can fail when the data folder is what is broken, and the dialog must still show. */
function logFilePath(): string {
  try {
    return log.transports.file.getFile().path;
  } catch {
    return path.join(app.getPath('logs'), 'main.log');
  }
}

/**
 * Facet's main process: lifecycle and wiring only. Everything with logic lives in the files it imports
 * (window security, IPC, media protocol, indexing process, folder watcher, OS integration).
 */
import path from 'node:path';
import { type BrowserWindow, app } from 'electron';
import log from 'electron-log/main';
import { type FolderInfo, channelsRunningIn } from '../../src/common/api';
import { unwrap } from '../../src/common/result';
import { type Handler, type HandlerMap, dispatch } from '../../src/engine/api/dispatch';
import { resolveLibraryDir } from '../../src/engine/library/paths';
import { appHandlers } from './app-handlers';
import { openAppEngine } from './engine-handle';
import { eventSender } from './events';
import { FolderWatcher } from './folder-watcher';
import { IndexerHost } from './indexer-host';
import { registerIpc } from './ipc';
import { handleMediaProtocol, registerMediaScheme } from './protocol';
import { SettingsStore } from './settings-store';
import { createMainWindow, rendererUrl } from './window';

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
  void app.whenReady().then(() => start(() => mainWindow, (w) => (mainWindow = w)));
}

async function start(getWindow: () => BrowserWindow | null, setWindow: (w: BrowserWindow) => void): Promise<void> {
  const libraryRoot = resolveLibraryDir(undefined, { ...process.env, FACET_LIBRARY: process.env.FACET_LIBRARY ?? app.getPath('userData') });
  const settings = new SettingsStore(path.join(app.getPath('userData'), 'settings.json'));
  const emit = eventSender(getWindow);
  const engineOptions = {
    libraryRoot,
    nativeBinding: process.env.FACET_BETTER_SQLITE3_BINDING || undefined,
    modelsDir: process.env.FACET_MODELS_DIR || undefined,
    device: settings.get().device,
  };
  const engine = openAppEngine({ ...engineOptions, emit });
  const indexer = new IndexerHost(path.join(__dirname, 'indexer-process.js'), engineOptions, emit);
  const watcher = new FolderWatcher((folderIds) => void indexer.call('index.start', { folderIds }));

  const viaIndexer = Object.fromEntries(channelsRunningIn('worker').map((channel) => [channel, async (_ctx: unknown, input: unknown) => unwrap(await indexer.call(channel, input))])) as Partial<HandlerMap>;
  const handlers: Partial<HandlerMap> = { ...engine.handlers, ...viaIndexer, ...appHandlers(getWindow, settings) };

  const refreshWatchedFolders = async () => {
    const result = await dispatch(engine.ctx, handlers, 'folders.list', {});
    if (result.ok) await watcher.setFolders((result.value as FolderInfo[]).map(({ id, path: folder }) => ({ id, path: folder })));
  };
  // Keep the watcher in step with the folder list the user edits in Settings.
  for (const channel of ['folders.add', 'folders.remove'] as const) {
    const inner = handlers[channel] as Handler<typeof channel> | undefined;
    if (inner) handlers[channel] = (async (ctx, input) => {
      const value = await inner(ctx, input as never);
      void refreshWatchedFolders();
      return value;
    }) as Handler<typeof channel> as never;
  }

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

  app.on('before-quit', () => {
    indexer.stop();
    void watcher.close();
    engine.close();
  });
}

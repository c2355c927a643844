import { type BrowserWindow, app, dialog, shell } from 'electron';
import log from 'electron-log/main';
import type { Handler } from '../../src/engine/api/dispatch';
import type { EngineContext } from '../../src/engine/context';
import { resolveOriginalFile } from '../../src/engine/media/media-file';
import { confirmAndOpenExternal } from './external-links';
import type { SettingsStore } from './settings-store';
import { settingsHandlers } from './settings-handlers';
import { trashFiles } from './trash-files';

type AppChannel =
  'app.info' | 'app.pickFolder' | 'app.showInFolder' | 'app.openPhoto' | 'app.openExternal' | 'app.trashPhotos' | 'app.openLog';

const originalOf = (ctx: EngineContext, id: number) => resolveOriginalFile(ctx.library, id).path;

/**
 * The channels only the app can serve: dialogs and the OS shell. Every file is found from a photo id
 * (never a path from the renderer), and trashing uses the system trash, never a delete.
 */
export function appHandlers(
  window: () => BrowserWindow | null,
  settings: SettingsStore,
): { [K in AppChannel | 'settings.get' | 'settings.set']: Handler<K> } {
  return {
    ...settingsHandlers(settings),
    'app.info': (ctx) => ({ version: app.getVersion(), platform: process.platform, libraryPath: ctx.library.paths.root }),
    'app.pickFolder': async () => {
      const win = window();
      const options = { properties: ['openDirectory' as const], title: 'Add a folder of photos' };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    'app.showInFolder': (ctx, { photoId }) => {
      shell.showItemInFolder(originalOf(ctx, photoId));
      return { shown: true };
    },
    'app.openPhoto': async (ctx, { photoId }) => {
      const error = await shell.openPath(originalOf(ctx, photoId));
      return { opened: error === '' };
    },
    'app.openExternal': async (_ctx, { url }) => ({ opened: await confirmAndOpenExternal(window(), url) }),
    'app.openLog': async () => ({ opened: (await shell.openPath(log.transports.file.getFile().path)) === '' }),
    'app.trashPhotos': async (ctx, { photoIds }) => {
      // The user confirmed in the app's own dialog (translated, counting what moves); main asks no
      // second time. What main guarantees: only originals of photos in this library, present on disk,
      // ever reach the trash. Every id is resolved before the first move, so one id that is not such a
      // photo refuses the whole call (not_found / offline) with nothing moved.
      const files = [...new Set(photoIds)].map((id) => ({ id, path: originalOf(ctx, id) }));
      return { trashed: await trashFiles(files, (file) => shell.trashItem(file)) };
    },
  };
}

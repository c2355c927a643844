import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Facet';

/**
 * The per-user app-data folder, the same one Electron's `app.getPath('userData')` returns for an app
 * named Facet, so the CLI and the app share one library by default.
 */
export function defaultLibraryDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

/** `--library DIR` wins, then `FACET_LIBRARY`, then the per-user default. */
export function resolveLibraryDir(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(option || env.FACET_LIBRARY || defaultLibraryDir(process.platform, env));
}

export interface LibraryPaths {
  root: string;
  database: string;
  thumbnails: string;
  models: string;
}

export function libraryPaths(root: string): LibraryPaths {
  return {
    root,
    database: path.join(root, 'facet.db'),
    thumbnails: path.join(root, 'thumbs'),
    models: path.join(root, 'models'),
  };
}

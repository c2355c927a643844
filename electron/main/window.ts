import path from 'node:path';
import { BrowserWindow, session } from 'electron';
import { contentSecurityPolicy } from './csp';
import { confirmAndOpenExternal } from './external-links';

export interface WindowOptions {
  /** electron-vite's dev server in development; undefined when loading the built index.html. */
  devServerUrl?: string;
  preloadPath: string;
  indexHtmlPath: string;
  iconPath?: string;
}

/** The URL the renderer is served from; the IPC sender check compares frames against it. */
export function rendererUrl(options: WindowOptions): string {
  return options.devServerUrl ?? `file://${path.resolve(options.indexHtmlPath)}`;
}

/**
 * The one app window, locked down: sandboxed renderer without Node, isolated preload, strict CSP on
 * every response, no navigation, no new windows (http links go to the system browser after asking).
 */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const csp = contentSecurityPolicy(options.devServerUrl);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  // Nothing in Facet needs the camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Facet',
    backgroundColor: '#111214',
    icon: options.iconPath,
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });

  const home = rendererUrl(options);
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== home) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    void confirmAndOpenExternal(window, url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());

  if (options.devServerUrl) void window.loadURL(options.devServerUrl);
  else void window.loadFile(options.indexHtmlPath);
  return window;
}

/**
 * A RECORDING stand-in for the `electron` module, so the built main bundle (out/main/index.js) and the
 * built preload run under plain Node in CI, where no Electron binary can be fetched. It holds no Facet
 * logic: it records what Facet asks of Electron (windows, IPC handlers, dialogs, quitting) to a
 * JSON-lines file, answers dialogs from a script, and connects the pieces the way Electron does:
 * (the main process sees the main-process API; the preload sees ipcRenderer and contextBridge)
 * ipcRenderer.invoke → ipcMain.handle, webContents.send → ipcRenderer.on, utilityProcess.fork → a real
 * child process (child_process.fork with Electron's `process.parentPort` shim).
 *
 * Environment: FACET_STANDIN_RECORD (the JSON-lines file), FACET_STANDIN_DIALOGS (JSON array of
 * dialog responses, used in order; default: the dialog's cancelId), FACET_STANDIN_LOCALE,
 * FACET_STANDIN_WORKER_EXEC_ARGV (extra node flags for utility processes, JSON array).
 */
const { EventEmitter } = require('node:events');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const recordFile = process.env.FACET_STANDIN_RECORD;
const record = (kind, details = {}) => {
  if (recordFile) fs.appendFileSync(recordFile, `${JSON.stringify({ kind, pid: process.pid, ...details })}\n`);
};
const dialogResponses = JSON.parse(process.env.FACET_STANDIN_DIALOGS || '[]');
const nextDialogResponse = (fallback) => (dialogResponses.length > 0 ? dialogResponses.shift() : fallback);

// ---- app: Electron's documented naming rule: productName, else name, from the app's package.json;
// userData = appData/<that name>.
const findPackageJson = (start) => {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'package.json');
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
};
const appPath = path.dirname(findPackageJson(path.dirname(path.resolve(process.argv[1]))));
const pkg = JSON.parse(fs.readFileSync(path.join(appPath, 'package.json'), 'utf8'));
const appDataDir = () => {
  if (process.platform === 'win32') return process.env.APPDATA;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support');
  return process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
};

class App extends EventEmitter {
  name = pkg.productName || pkg.name;
  isPackaged = false;
  ready = false;
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock');
    return true;
  }
  releaseSingleInstanceLock() {
    record('app.releaseSingleInstanceLock');
  }
  whenReady() {
    this.ready = true;
    setImmediate(() => this.emit('ready'));
    return Promise.resolve();
  }
  isReady() {
    return this.ready;
  }
  getName() {
    return this.name;
  }
  getVersion() {
    return pkg.version;
  }
  getAppPath() {
    return appPath;
  }
  getLocale() {
    return process.env.FACET_STANDIN_LOCALE || 'en-US';
  }
  getPreferredSystemLanguages() {
    return [this.getLocale()];
  }
  getPath(name) {
    const userData = path.join(appDataDir(), this.name);
    const paths = { appData: appDataDir(), userData, logs: path.join(userData, 'logs'), home: os.homedir(), temp: os.tmpdir() };
    if (!(name in paths)) throw new Error(`stand-in: app.getPath('${name}') is not recorded`);
    return paths[name];
  }
  relaunch(options) {
    record('app.relaunch', { args: options?.args ?? null });
  }
  quit() {
    record('app.quit');
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.emit('will-quit', { preventDefault() {} });
    record('app.exited', { code: 0 });
    process.exit(0);
  }
  exit(code = 0) {
    record('app.exit', { code });
    process.exit(code);
  }
}
const app = new App();

// ---- IPC: main side and the preload's side, connected as Electron connects them.
const handlers = new Map();
const rendererListeners = new EventEmitter();
let topFrameUrl = null;
const ipcMain = Object.assign(new EventEmitter(), {
  handle(name, handler) {
    record('ipcMain.handle', { name });
    handlers.set(name, handler);
  },
  removeHandler(name) {
    handlers.delete(name);
  },
});
const ipcRenderer = {
  async invoke(name, ...args) {
    const handler = handlers.get(name);
    if (!handler) throw new Error(`Error invoking remote method '${name}': No handler registered for '${name}'`);
    return handler({ senderFrame: { url: topFrameUrl, parent: null } }, ...args);
  },
  on(name, listener) {
    rendererListeners.on(name, listener);
  },
  removeListener(name, listener) {
    rendererListeners.removeListener(name, listener);
  },
  send() {},
};
const exposed = {};
const contextBridge = {
  exposeInMainWorld(key, api) {
    record('contextBridge.exposeInMainWorld', { key });
    exposed[key] = api;
  },
};

// ---- windows, sessions, protocol, dialogs, shell
const windows = [];
class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed);
  }
  constructor(options) {
    super();
    this.options = options;
    this.destroyed = false;
    record('BrowserWindow', { options });
    this.webContents = Object.assign(new EventEmitter(), {
      send: (channel, ...args) => rendererListeners.emit(channel, {}, ...args),
      setWindowOpenHandler: () => record('webContents.setWindowOpenHandler'),
    });
    windows.push(this);
  }
  loadFile(file) {
    topFrameUrl = `file://${path.resolve(file)}`;
    record('BrowserWindow.loadFile', { file });
    this.loadPreload();
    return Promise.resolve();
  }
  loadURL(url) {
    topFrameUrl = url;
    record('BrowserWindow.loadURL', { url });
    this.loadPreload();
    return Promise.resolve();
  }
  /** What the renderer process would run first: the preload, in a fresh module instance. */
  loadPreload() {
    const preload = this.options.webPreferences?.preload;
    if (preload && fs.existsSync(preload)) require(preload);
    setImmediate(() => this.emit('ready-to-show'));
  }
  show() {
    record('BrowserWindow.show');
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
}
const defaultSession = {
  webRequest: { onHeadersReceived: (listener) => ((defaultSession.headersListener = listener), record('session.onHeadersReceived')) },
  setPermissionRequestHandler: (handler) => ((defaultSession.permissionHandler = handler), record('session.setPermissionRequestHandler')),
  registerPreloadScript: () => {},
};
const schemes = new Map();
const protocol = {
  registerSchemesAsPrivileged: (list) => record('protocol.registerSchemesAsPrivileged', { schemes: list }),
  handle: (scheme, handler) => (schemes.set(scheme, handler), record('protocol.handle', { scheme })),
};
const answer = (kind, options) => {
  const response = nextDialogResponse(options.cancelId ?? 0);
  record(kind, { options, response });
  return response;
};
const dialog = {
  showMessageBox: async (windowOrOptions, maybeOptions) => ({
    response: answer('dialog.showMessageBox', maybeOptions ?? windowOrOptions),
    checkboxChecked: false,
  }),
  showMessageBoxSync: (windowOrOptions, maybeOptions) => answer('dialog.showMessageBoxSync', maybeOptions ?? windowOrOptions),
  showErrorBox: (title, content) => record('dialog.showErrorBox', { title, content }),
  showOpenDialog: async (windowOrOptions, maybeOptions) => {
    const picked = nextDialogResponse(null);
    record('dialog.showOpenDialog', { options: maybeOptions ?? windowOrOptions, picked });
    return picked ? { canceled: false, filePaths: [picked] } : { canceled: true, filePaths: [] };
  },
};
const shell = {
  showItemInFolder: (file) => record('shell.showItemInFolder', { file }),
  openPath: async (file) => (record('shell.openPath', { file }), ''),
  openExternal: async (url) => record('shell.openExternal', { url }),
  trashItem: async (file) => record('shell.trashItem', { file }),
};

// ---- utilityProcess: a real child process, with Electron's parentPort inside it.
const utilityProcess = {
  fork(modulePath, args = [], options = {}) {
    const extra = JSON.parse(process.env.FACET_STANDIN_WORKER_EXEC_ARGV || '[]');
    const child = childProcess.fork(path.join(__dirname, 'utility-child.cjs'), [modulePath, ...args], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      execArgv: [...extra],
      env: { ...process.env, ...(options.env ?? {}) },
    });
    record('utilityProcess.fork', { modulePath, serviceName: options.serviceName ?? null, childPid: child.pid });
    const proxy = new EventEmitter();
    proxy.pid = child.pid;
    proxy.postMessage = (message) => {
      if (child.connected) child.send(message);
    };
    proxy.kill = () => child.kill();
    child.on('message', (message) => proxy.emit('message', message));
    child.on('exit', (code, signal) => {
      record('utilityProcess.exit', { childPid: child.pid, code, signal });
      proxy.emit('exit', code ?? 1);
    });
    return proxy;
  },
};

const session = { defaultSession };
const webContents = { getAllWebContents: () => windows.map((w) => w.webContents) };

module.exports = { app, BrowserWindow, ipcMain, protocol, dialog, shell, session, utilityProcess, webContents };
/** What `require('electron')` gives a preload (register.cjs picks it by the requiring file). */
const rendererSide = { ipcRenderer, contextBridge };
/** For the test driver in register.cjs only; Facet never sees these. */
module.exports.__standIn = { handlers, exposed, schemes, windows, defaultSession, record, rendererSide };

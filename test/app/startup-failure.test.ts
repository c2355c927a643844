import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pickLanguage } from '../../electron/main/messages';
import { startupCause, startupFailureDialog } from '../../electron/main/startup-failure';
import { Engine } from '../../src/engine/engine';
import { defaultLibraryDir } from '../../src/engine/library/paths';
import { tempDir } from '../support/temp';

/** Opens a library the way the app's start-up does and returns what it threw. */
function openFailure(options: Parameters<typeof Engine.open>[0]): unknown {
  try {
    Engine.open(options).close();
  } catch (error) {
    return error;
  }
  throw new Error('the library opened');
}

describe('start-up failures, from the real errors', () => {
  const context = { language: 'en' as const, library: '/home/u/.config/Facet', logFile: '/home/u/.config/Facet/logs/main.log' };

  it('a damaged database: says so, offers a backup or another library', () => {
    const library = tempDir('facet-corrupt-');
    fs.writeFileSync(path.join(library, 'facet.db'), Buffer.alloc(8192, 0x5a));
    const error = openFailure({ libraryDir: library });
    expect(startupCause(error)).toBe('corrupt');
    const dialog = startupFailureDialog(error, { ...context, library });
    expect(dialog.message).toBe(`The library database at ${library} is damaged.`);
    expect(dialog.detail).toContain('Restore facet.db from a backup');
    expect(dialog.detail).toContain('Details are in the log: /home/u/.config/Facet/logs/main.log');
    expect(dialog.buttons).toEqual(['Quit', 'Open another library…']);
  });

  it('a better-sqlite3 binary that is not for this runtime: names the native part and how to get the right one', () => {
    const notABinary = path.join(tempDir('facet-abi-'), 'better_sqlite3.node');
    fs.writeFileSync(notABinary, 'built for another Electron');
    const error = openFailure({ libraryDir: tempDir('facet-abi-lib-'), nativeBinding: notABinary });
    expect(startupCause(error)).toBe('native_module');
    expect(startupFailureDialog(error, context).detail).toContain('npm start');
  });

  it('a folder that cannot be a library (a file in its place)', () => {
    const file = path.join(tempDir('facet-file-'), 'library');
    fs.writeFileSync(file, 'not a folder');
    expect(startupCause(openFailure({ libraryDir: file }))).toBe('library_readonly');
  });

  it('speaks the language chosen in Settings, else the system’s', () => {
    expect(pickLanguage('system', ['ko-KR', 'en-US'])).toBe('ko');
    expect(pickLanguage('en', ['ko-KR'])).toBe('en');
    expect(pickLanguage(undefined, ['de-DE'])).toBe('en');
    const file = path.join(tempDir('facet-ko-'), 'library');
    fs.writeFileSync(file, 'not a folder');
    const dialog = startupFailureDialog(openFailure({ libraryDir: file }), { ...context, language: 'ko', library: file });
    expect(dialog.message).toBe(`Facet이 ${file}의 라이브러리에 쓸 수 없습니다.`);
    expect(dialog.buttons).toEqual(['종료', '다른 라이브러리 열기…']);
  });
});

describe('one library for the app and the CLI', () => {
  // Electron's documented rule: userData is appData plus the app's name, and the name is package.json's
  // productName (preferred over name). appData: %APPDATA%, ~/Library/Application Support, or
  // $XDG_CONFIG_HOME / ~/.config.
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    name: string;
    productName?: string;
  };
  const electronUserData = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv) => {
    const appData =
      platform === 'win32'
        ? env.APPDATA!
        : platform === 'darwin'
          ? path.join(os.homedir(), 'Library', 'Application Support')
          : (env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'));
    return path.join(appData, pkg.productName ?? pkg.name);
  };

  it.each([
    ['linux', {}],
    ['linux', { XDG_CONFIG_HOME: '/tmp/xdg' }],
    ['darwin', {}],
    ['win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }],
  ] as const)("app.getPath('userData') on %s %j is the engine's default library", (platform, env) => {
    expect(pkg.productName).toBe('Facet');
    expect(defaultLibraryDir(platform, env)).toBe(electronUserData(platform, env));
  });
});

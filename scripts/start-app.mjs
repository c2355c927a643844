#!/usr/bin/env node
/**
 * `npm start`: runs the desktop app from source.
 *
 * 1. Fetches Electron's binary if it is missing (the npm install skips Electron's postinstall so CI
 *    machines without internet can still install).
 * 2. Builds better-sqlite3 for Electron's ABI into .cache/electron-native/, leaving node_modules'
 *    Node build alone so `npm test` keeps working (one binary cannot serve both runtimes). Prebuilt
 *    binaries are fetched with prebuild-install; without one, node-gyp compiles against Electron's
 *    headers. The main process gets the path through FACET_BETTER_SQLITE3_BINDING and passes it as
 *    better-sqlite3's `nativeBinding`.
 * 3. Runs `electron-vite dev` (hot reload), or `electron-vite preview` with --preview.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const nodeModules = path.join(root, 'node_modules');
const cache = path.join(root, '.cache', 'electron-native');
const bin = (name) => path.join(nodeModules, '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const run = (command, args, cwd = root) => execFileSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });

function ensureElectronBinary() {
  try {
    const electronPath = require('electron');
    if (fs.existsSync(electronPath)) return;
  } catch {
    // path.txt is missing until the binary is installed
  }
  console.log('Facet: downloading the Electron binary (once)…');
  run(process.execPath, [path.join(nodeModules, 'electron', 'install.js')]);
}

function electronBetterSqlite3() {
  const electronVersion = require('electron/package.json').version;
  const sqliteVersion = require('better-sqlite3/package.json').version;
  const target = path.join(cache, `better_sqlite3-${sqliteVersion}-electron-${electronVersion}-${process.platform}-${process.arch}.node`);
  if (fs.existsSync(target)) return target;

  console.log(`Facet: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} into ${path.relative(root, cache)}/ (once)…`);
  const work = path.join(cache, 'better-sqlite3');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(cache, { recursive: true });
  // A private copy of the package, so node_modules/better-sqlite3 keeps its Node binary.
  fs.cpSync(path.join(nodeModules, 'better-sqlite3'), work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
  const common = ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch];
  try {
    run(process.execPath, [require.resolve('prebuild-install/bin.js'), ...common], work);
  } catch {
    console.log('Facet: no prebuilt binary; compiling against Electron headers with node-gyp…');
    run(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], work);
  }
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  return target;
}

ensureElectronBinary();
const binding = electronBetterSqlite3();
const mode = process.argv.includes('--preview') ? 'preview' : 'dev';
const child = spawn(bin('electron-vite'), [mode], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, FACET_BETTER_SQLITE3_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));

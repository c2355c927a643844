#!/usr/bin/env node
/**
 * `npm start`: runs the desktop app from source.
 *
 * 1. Fetches Electron's binary if it is missing (the npm install skips Electron's postinstall so CI
 *    machines without internet can still install).
 * 2. Builds better-sqlite3 for Electron's ABI into .cache/electron-native/ (scripts/electron-native.mjs),
 *    leaving node_modules' Node build alone so `npm test` keeps working. The main process gets the
 *    path through FACET_BETTER_SQLITE3_BINDING and passes it as better-sqlite3's `nativeBinding`.
 * 3. On Linux, checks that Chromium's sandbox can start: Ubuntu 23.10+ lets AppArmor deny the
 *    unprivileged user namespaces it needs (electron#42510), and Electron then aborts with a core dump.
 *    Facet never turns the sandbox off; it prints the two fixes Electron's maintainers give instead.
 * 4. Runs `electron-vite dev` (hot reload), or `electron-vite preview` with --preview.
 *
 * Every child is node itself running a JS entry (never a .cmd through a shell), so a Node or a project
 * in a path with spaces, like C:\Program Files\nodejs, works on Windows too.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBetterSqlite3 } from './electron-native.mjs';
import { PROFILE_NAME, sandboxCanStart } from './linux-sandbox.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const nodeModules = path.join(root, 'node_modules');
const run = (command, args, cwd = root) => execFileSync(command, args, { cwd, stdio: 'inherit' });

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

/**
 * Chromium sandboxes the renderer with unprivileged user namespaces, or else with the SUID helper
 * chrome-sandbox (root-owned, mode 4755). npm's copy of Electron has neither when AppArmor restricts
 * user namespaces, and Electron aborts with "The SUID sandbox helper binary was found, but is not
 * configured correctly". Say what to do before that happens.
 */
function checkLinuxSandbox() {
  if (process.platform !== 'linux') return;
  const electronBinary = require('electron');
  const sandbox = path.join(path.dirname(electronBinary), 'chrome-sandbox');
  const system = {
    readFile: (file) => fs.readFileSync(file, 'utf8'),
    stat: (file) => (fs.existsSync(file) ? fs.statSync(file) : null),
    env: process.env,
    sandboxHelper: sandbox,
  };
  if (sandboxCanStart(system).ok) return;
  // The profile Electron's maintainers and electron-builder's .deb use: unconfined, plus userns.
  const profile = path.join(root, '.cache', 'apparmor', 'facet-dev-electron');
  fs.mkdirSync(path.dirname(profile), { recursive: true });
  fs.writeFileSync(
    profile,
    `abi <abi/4.0>,\ninclude <tunables/global>\n\nprofile ${PROFILE_NAME} "${electronBinary}" flags=(unconfined) {\n  userns,\n}\n`,
  );
  console.error(`Facet: this system's AppArmor blocks the user namespaces Electron's sandbox needs (Ubuntu 23.10 and later; electron#42510).
Electron would abort at start. Facet does not run without the sandbox. Fix it once, either way:

  1. Allow user namespaces for this Electron binary with an AppArmor profile (as Facet's .deb does):
       sudo cp "${profile}" /etc/apparmor.d/ && sudo apparmor_parser -r /etc/apparmor.d/facet-dev-electron

  2. Or make Electron's SUID sandbox helper root-owned and setuid:
       sudo chown root:root "${sandbox}" && sudo chmod 4755 "${sandbox}"

Then run npm start again. If you allowed it another way (your own profile) and npm start cannot see it,
run it with FACET_SANDBOX_OK=1 npm start.`);
  process.exit(1);
}

ensureElectronBinary();
checkLinuxSandbox();
const binding = electronBetterSqlite3({ electronVersion: require('electron/package.json').version });
const mode = process.argv.includes('--preview') ? 'preview' : 'dev';
const child = spawn(process.execPath, [path.join(nodeModules, 'electron-vite', 'bin', 'electron-vite.js'), mode], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FACET_BETTER_SQLITE3_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));

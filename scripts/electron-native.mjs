/**
 * better-sqlite3 built for Electron's ABI, kept in .cache/electron-native/ and never in node_modules:
 * node_modules keeps the Node build that `npm test` and `npx facet` load (one binary cannot serve both
 * runtimes). `npm start` passes the file as better-sqlite3's `nativeBinding`; `npm run dist` copies it
 * into the package (scripts/after-pack.cjs). Prebuilt binaries are fetched with prebuild-install (for
 * any platform, so a package for another OS gets the right one); without one, node-gyp compiles it
 * against Electron's headers (this platform only).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const nodeModules = path.join(root, 'node_modules');
export const cacheDir = path.join(root, '.cache', 'electron-native');

const run = (args, cwd) => execFileSync(process.execPath, args, { cwd, stdio: 'inherit' });

export function electronBetterSqlite3({ electronVersion, platform = process.platform, arch = process.arch }) {
  const sqliteVersion = require('better-sqlite3/package.json').version;
  const target = path.join(cacheDir, `better_sqlite3-${sqliteVersion}-electron-${electronVersion}-${platform}-${arch}.node`);
  if (fs.existsSync(target)) return target;

  console.log(
    `Facet: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${platform}-${arch}) into ${path.relative(root, cacheDir)}/ (once)…`,
  );
  const work = path.join(cacheDir, `better-sqlite3-${platform}-${arch}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  // A private copy of the package, so node_modules/better-sqlite3 keeps its Node binary.
  fs.cpSync(path.join(nodeModules, 'better-sqlite3'), work, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`),
  });
  try {
    run(
      [
        require.resolve('prebuild-install/bin.js'),
        '--runtime',
        'electron',
        '--target',
        electronVersion,
        '--arch',
        arch,
        '--platform',
        platform,
      ],
      work,
    );
  } catch (error) {
    if (platform !== process.platform)
      throw new Error(
        `No prebuilt better-sqlite3 for Electron ${electronVersion} on ${platform}-${arch}, and it cannot be compiled for another OS here.`,
        { cause: error },
      );
    console.log('Facet: no prebuilt binary; compiling against Electron headers with node-gyp…');
    run(
      [
        require.resolve('node-gyp/bin/node-gyp.js'),
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        `--arch=${arch}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      work,
    );
  }
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  fs.rmSync(work, { recursive: true, force: true });
  return target;
}

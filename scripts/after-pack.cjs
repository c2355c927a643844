/**
 * electron-builder `afterPack` hook: puts better-sqlite3's Electron build into the package, replacing
 * the Node build copied from node_modules. The project's node_modules is never rebuilt (npmRebuild is
 * off), so `npm test` and `npx facet` keep working after `npm run dist`.
 *
 * FACET_ELECTRON_BETTER_SQLITE3=<file> uses a binary built elsewhere (CI without Electron's headers).
 * The other natives need nothing: onnxruntime-node, sharp, usearch are N-API prebuilds and sqlite-vec
 * is a loadable SQLite extension, all ABI-independent.
 */
const fs = require('node:fs');
const path = require('node:path');
const { Arch } = require('builder-util');

module.exports = async function afterPack(context) {
  const { appOutDir, electronPlatformName: platform, packager } = context;
  const arch = Arch[context.arch];
  const resources =
    platform === 'darwin'
      ? path.join(appOutDir, `${packager.appInfo.productFilename}.app`, 'Contents', 'Resources')
      : path.join(appOutDir, 'resources');
  const target = path.join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(target))
    throw new Error(`afterPack: better-sqlite3 is not unpacked at ${target}; check asarUnpack in electron-builder.yml`);
  let binary = process.env.FACET_ELECTRON_BETTER_SQLITE3;
  if (!binary) {
    const { electronBetterSqlite3 } = await import('./electron-native.mjs');
    binary = electronBetterSqlite3({ electronVersion: packager.config.electronVersion, platform, arch });
  }
  fs.copyFileSync(binary, target);
  console.log(`Facet: packaged better-sqlite3 for Electron ${packager.config.electronVersion} (${platform}-${arch}) from ${binary}`);
};

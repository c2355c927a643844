import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, buildApp } from './support/main-process';

/**
 * `npm run dist` as a Linux --dir package, with a stand-in Electron distribution (a folder with an
 * empty `electron` executable: no Electron binary can be fetched here) and a stand-in Electron build
 * of better-sqlite3 (no Electron headers here either) handed to scripts/after-pack.cjs. Everything
 * else is electron-builder with Facet's electron-builder.yml.
 */
// electron-builder's own archive reader (a dependency of electron-builder).
const asar = createRequire(import.meta.url)('@electron/asar') as {
  listPackage(archive: string, options?: { isPack: boolean }): string[];
  statFile(archive: string, file: string): { unpacked?: boolean };
  extractFile(archive: string, file: string): Buffer;
};

const platform = process.platform;
const arch = process.arch;
const work = path.join(ROOT, '.cache', 'packaging-test');
const output = path.join(work, 'release');
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const nodeBetterSqlite3 = path.join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/**
 * The project to package. A fresh clone packages itself; a helper's worktree, whose node_modules is a
 * symlink that npm reports as "extraneous" links, is staged with a hard-linked node_modules first.
 */
function projectDir(): string {
  if (!fs.lstatSync(path.join(ROOT, 'node_modules')).isSymbolicLink()) return ROOT;
  const stage = path.join(work, 'project');
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(path.join(stage, 'models'), { recursive: true });
  for (const entry of ['package.json', 'package-lock.json', 'electron-builder.yml', 'out', 'resources', 'scripts'])
    fs.cpSync(path.join(ROOT, entry), path.join(stage, entry), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'models', 'manifest.json'), path.join(stage, 'models', 'manifest.json'));
  execFileSync('cp', ['-al', fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(stage, 'node_modules')]);
  return stage;
}

describe(`npm run dist, as a ${platform}-${arch} --dir package`, () => {
  let resources: string;
  let archive: string;
  let standInBinary: string;
  let before: string;

  beforeAll(async () => {
    await buildApp();
    fs.rmSync(work, { recursive: true, force: true });
    const electronDist = path.join(work, 'electron-dist');
    fs.mkdirSync(electronDist, { recursive: true });
    fs.writeFileSync(path.join(electronDist, 'electron'), '');
    fs.chmodSync(path.join(electronDist, 'electron'), 0o755);
    // Distinguishable from node_modules' Node build, so the test sees which one was packaged.
    standInBinary = path.join(work, 'better_sqlite3-electron-stand-in.node');
    fs.writeFileSync(standInBinary, Buffer.concat([fs.readFileSync(nodeBetterSqlite3), Buffer.from('electron stand-in')]));
    before = sha256(nodeBetterSqlite3);

    const project = projectDir();
    execFileSync(
      process.execPath,
      [
        path.join(project, 'node_modules', 'electron-builder', 'cli.js'),
        '--linux',
        '--dir',
        `-c.electronDist=${electronDist}`,
        '-c.npmRebuild=false',
        `-c.directories.output=${output}`,
      ],
      { cwd: project, stdio: 'pipe', env: { ...process.env, FACET_ELECTRON_BETTER_SQLITE3: standInBinary } },
    );
    resources = path.join(output, arch === 'arm64' ? 'linux-arm64-unpacked' : 'linux-unpacked', 'resources');
    archive = path.join(resources, 'app.asar');
  }, 600_000);

  it('holds the main, worker, preload and renderer bundles and the model manifest in app.asar', () => {
    const files = asar.listPackage(archive, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    for (const file of [
      '/out/main/index.js',
      '/out/main/worker.js',
      '/out/preload/index.js',
      '/out/renderer/index.html',
      '/models/manifest.json',
      '/package.json',
    ])
      expect(files, file).toContain(file);
    expect(files.some((f) => f.startsWith('/out/renderer/assets/') && f.endsWith('.js'))).toBe(true);
  });

  it('names the product in the packaged package.json, so userData is …/Facet like the CLI’s library', () => {
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as {
      name: string;
      productName: string;
      main: string;
      author: unknown;
      homepage?: string;
    };
    // Honest metadata only: a name and no invented e-mail or homepage (the deb's maintainer is set in electron-builder.yml).
    expect(pkg).toMatchObject({ productName: 'Facet', main: 'out/main/index.js', author: 'Facet developers' });
    expect(pkg.homepage).toBeUndefined();
    expect(JSON.stringify(pkg)).not.toMatch(/\.example\b/);
    expect(fs.existsSync(path.join(path.dirname(resources), 'facet'))).toBe(true);
  });

  it('unpacks every native file the engine loads, for this platform only', () => {
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
    const libExt = platform === 'win32' ? '.dll' : platform === 'darwin' ? '.dylib' : '.so';
    const ort = path.join(unpacked, 'onnxruntime-node', 'bin', 'napi-v6');
    expect(fs.readdirSync(ort)).toEqual([platform]);
    expect(fs.readdirSync(path.join(ort, platform))).toEqual([arch]);
    expect(fs.readdirSync(path.join(ort, platform, arch))).toEqual(
      expect.arrayContaining(['onnxruntime_binding.node', expect.stringContaining(libExt)]),
    );
    expect(fs.existsSync(path.join(unpacked, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    expect(fs.readdirSync(path.join(unpacked, '@img'))).toEqual(expect.arrayContaining([`sharp-${platform}-${arch}`]));
    expect(fs.readdirSync(path.join(unpacked, `sqlite-vec-${platform}-${arch}`)).some((f) => f.startsWith('vec0'))).toBe(true);
    expect(fs.readdirSync(path.join(unpacked, 'usearch', 'prebuilds'))).toEqual([`${platform}-${arch}`]);

    // Nothing native is left inside the archive, where dlopen cannot reach it.
    const natives = asar.listPackage(archive, { isPack: false }).filter((f) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(f));
    expect(natives.length).toBeGreaterThanOrEqual(5);
    expect(natives.filter((f) => !asar.statFile(archive, f.replace(/^[\\/]/, '')).unpacked)).toEqual([]);
  });

  it('packages better-sqlite3’s Electron build and leaves the project’s node_modules as it was', () => {
    const packaged = path.join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    expect(sha256(packaged)).toBe(sha256(standInBinary));
    expect(sha256(nodeBetterSqlite3)).toBe(before);
    // ...and the Node build still loads under Node (npm test, npx facet).
    execFileSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: ROOT });
  });
});

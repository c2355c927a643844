import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Tensor } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeHevcHeicInWorkers, heicWorkersFailure, restartHeicWorkers } from '../../src/engine/imaging/hevc-heic';
import { WorkerSessions } from '../../src/engine/ml/runtime/worker-sessions';
import { ModelManager } from '../../src/engine/models/model-manager';
import { unpackedPath } from '../../src/engine/util/unpacked-path';
import { FIXTURES_DIR } from '../support/paths';
import { tempDir } from '../support/temp';
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

const projectRequire = createRequire(path.join(ROOT, 'package.json'));
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

  /**
   * What the worker threads load, as the packaged app finds it: every `require.resolve("…")` in the
   * main bundles (the entries the engine hands to its eval'd workers: onnxruntime-node, libheif-js), as
   * a path inside app.asar. This Node has no asar support, so a worker given such a path loads only if
   * unpackedPath maps it to a file the package really holds outside the archive.
   */
  function workerEntries(): { id: string; inArchive: string }[] {
    const bundles = asar
      .listPackage(archive, { isPack: false })
      .map((f) => f.replaceAll('\\', '/').replace(/^\//, ''))
      .filter((f) => f.startsWith('out/main/') && f.endsWith('.js'));
    const ids = new Set(
      bundles.flatMap((f) =>
        [
          ...asar
            .extractFile(archive, f)
            .toString()
            .matchAll(/require\.resolve\("([^"]+)"\)/g),
        ].map((m) => m[1]!),
      ),
    );
    const modules = fs.realpathSync(path.join(ROOT, 'node_modules'));
    return [...ids].map((id) => ({
      id,
      inArchive: path.join(archive, 'node_modules', path.relative(modules, projectRequire.resolve(id))),
    }));
  }

  it('unpacks every file a worker thread loads, and each worker entry maps to it (required from there alone)', async () => {
    const entries = workerEntries();
    expect(entries.map((e) => e.id).sort()).toEqual(['libheif-js/wasm-bundle', 'onnxruntime-node']);
    const unpackedRoot = path.join(resources, 'app.asar.unpacked') + path.sep;
    for (const { id, inArchive } of entries) {
      const entry = unpackedPath(inArchive);
      expect(entry, id).toBe(inArchive.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`));
      expect(fs.existsSync(entry), entry).toBe(true);
      // Everything it requires must come from the unpacked tree too (onnxruntime-common, the binding):
      // Node would otherwise find it further up, in the project's own node_modules, and hide the gap.
      const loaded = await new Promise<string[]>((resolve, reject) => {
        const worker = new Worker(
          "const { parentPort, workerData } = require('node:worker_threads'); require(workerData); parentPort.postMessage(Object.keys(require.cache));",
          { eval: true, workerData: entry },
        );
        worker.once('message', (files: string[]) => void worker.terminate().then(() => resolve(files)));
        worker.once('error', reject);
      });
      expect(loaded.length, id).toBeGreaterThan(1);
      expect(
        loaded.filter((file) => !file.startsWith(unpackedRoot)),
        id,
      ).toEqual([]);
    }
  });

  it('runs the text models in worker threads from the package: onnxruntime and the embedded models, given as app.asar paths', async () => {
    const ort = workerEntries().find((e) => e.id === 'onnxruntime-node')!.inArchive;
    const manager = new ModelManager({ libraryModelsDir: tempDir() });
    const modules = fs.realpathSync(path.join(ROOT, 'node_modules'));
    const models = await Promise.all(
      [manager.defaultFor('text-detection').id, manager.defaultFor('text-recognition').id].map(async (id) => {
        const file = fs.realpathSync((await manager.resolve(id)).files.model!);
        expect(file.startsWith(modules + path.sep), file).toBe(true); // embedded in an npm package, so packaged
        return path.join(archive, 'node_modules', path.relative(modules, file));
      }),
    );
    for (const model of models) expect(asar.statFile(archive, path.relative(archive, model)).unpacked, model).toBe(true);
    const pool = await WorkerSessions.open(models, 1, ort);
    try {
      const detector = pool.session(models[0]!);
      const data = new Float32Array(3 * 64 * 64).fill(0.5);
      const output = await detector.run({ [detector.inputNames[0]!]: new Tensor('float32', data, [1, 3, 64, 64]) });
      expect(output[detector.outputNames[0]!]!.dims).toEqual([1, 1, 64, 64]);
    } finally {
      await pool.release();
    }
  });

  it('decodes HEIC in worker threads from the package’s libheif-js, given as an app.asar path', async () => {
    restartHeicWorkers(workerEntries().find((e) => e.id === 'libheif-js/wasm-bundle')!.inArchive);
    try {
      const pixels = await decodeHevcHeicInWorkers(fs.readFileSync(path.join(FIXTURES_DIR, 'heic', 'quadrants-hevc.heic')));
      expect([pixels.width, pixels.height]).toEqual([320, 240]);
      expect(heicWorkersFailure()).toBeNull(); // decoded in a worker, not by the fallback on this thread
    } finally {
      restartHeicWorkers();
    }
  });
});

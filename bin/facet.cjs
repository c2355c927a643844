#!/usr/bin/env node
'use strict';
// The `facet` command. The bundle is built by `npm install` (prepare) and `npm test` (pretest); if it
// is missing (e.g. installed with --ignore-scripts) it is built once here.
// `facet bench …` runs the benchmarks' bundle (bench/ → dist-cli/facet-bench.cjs) when this is a source
// checkout; the product bundle holds no benchmark code and answers `bench` with where to find it.
// libuv's pool (4 threads by default) serves both file reads and sharp's decodes: with several photos
// in flight, reads queued behind decodes. And a filtered search whose vectors are not in the page cache
// reads ~800 rows at random, which the disk serves many at once: 787 rows took 45 ms one by one, 20 ms
// with 8 threads, 15-17 ms with 32 (measured at 1M on this project's machine; more was no faster).
// Must be set before the pool starts, i.e. here; the app's worker gets it from worker-host.ts.
process.env.UV_THREADPOOL_SIZE ??= '32';
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
const wantsBench = process.argv[2] === 'bench' && fs.existsSync(path.join(root, 'bench', 'facet-bench.ts'));
const bundle = path.join(root, 'dist-cli', wantsBench ? 'facet-bench.cjs' : 'facet.cjs');
if (!fs.existsSync(bundle)) {
  require('node:child_process').execFileSync(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
}
require(bundle)
  .main()
  .then((code) => {
    process.exitCode = code;
  });

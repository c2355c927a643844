#!/usr/bin/env node
'use strict';
// The `facet` command. The bundle is built by `npm install` (prepare) and `npm test` (pretest); if it
// is missing (e.g. installed with --ignore-scripts) it is built once here.
// `facet bench …` runs the benchmarks' bundle (bench/ → dist-cli/facet-bench.cjs) when this is a source
// checkout; the product bundle holds no benchmark code and answers `bench` with where to find it.
// libuv's pool (4 threads by default) serves both file reads and sharp's decodes: with several photos
// in flight, reads queued behind decodes. Must be set before the pool starts, i.e. here.
process.env.UV_THREADPOOL_SIZE ??= '8';
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

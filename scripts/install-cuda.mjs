#!/usr/bin/env node
// `npm run gpu:cuda`: opt-in CUDA 12 support for onnxruntime-node on Linux x64.
//
// Why a script: onnxruntime-node's postinstall downloads ~hundreds of MB of CUDA provider libraries
// from NuGet on Linux x64. That fails offline and is useless without an NVIDIA GPU, so package.json's
// `allowScripts: { "onnxruntime-node": false }` (npm ≥ 11.16) skips its install script (an .npmrc key made
// every `npx facet` print npm's "Unknown project config" warning). With an older npm, install with
// ONNXRUNTIME_NODE_INSTALL=skip. Users with an NVIDIA GPU run this once; Facet's runtime then sees
// the libraries in onnxruntime-node's bin folder and tries the CUDA provider (src/engine/ml/runtime).
//
// How: we run the package's own installer (node_modules/onnxruntime-node/script/install.js) rather
// than re-implementing its NuGet download. Its flag is read by script/install-utils.js
// `parseInstallFlag()`: ONNXRUNTIME_NODE_INSTALL (or --onnxruntime-node-install=) with the manifest
// name `cuda12` from script/install-metadata.js. ONNXRUNTIME_NODE_INSTALL_CUDA=v12 is the deprecated
// spelling of the same thing. A "skip" left in the environment (ONNXRUNTIME_NODE_INSTALL or npm's
// npm_config_onnxruntime_node_install) is removed for the child.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const platform = `${process.platform}/${process.arch}`;
const ortDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
const metadata = require(path.join(ortDir, 'script', 'install-metadata.js'));

if (!(metadata.requirements[platform] ?? []).includes('cuda12')) {
  console.log(
    `onnxruntime-node has no CUDA download for ${platform}. Nothing to do: on Windows Facet uses DirectML and on macOS CoreML, ` +
      'both bundled; elsewhere it runs on the CPU.',
  );
  process.exit(0);
}

const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' };
delete env.npm_config_onnxruntime_node_install;
delete env.npm_config_onnxruntime_node_install_cuda;
delete env.ONNXRUNTIME_NODE_INSTALL_CUDA;

console.log('Installing onnxruntime-node CUDA 12 provider libraries (downloaded from NuGet by onnxruntime-node itself)…');
const run = spawnSync(process.execPath, [path.join(ortDir, 'script', 'install.js')], { env, cwd: ortDir, stdio: 'inherit' });
if (run.status !== 0) {
  console.error(`onnxruntime-node's installer failed (exit ${run.status ?? run.signal}). Facet keeps working on the CPU.`);
  process.exit(run.status || 1);
}

// The file list comes from onnxruntime-node's own metadata, so it follows the package's versions.
const binDir = path.join(ortDir, 'bin', 'napi-v6', process.platform, process.arch);
const expected = Object.keys(metadata.manifests[`${platform}:cuda12`]).map((f) => path.join(binDir, f));
const missing = expected.filter((f) => !fs.existsSync(f));
if (missing.length > 0) {
  console.error(`The installer finished but these files are missing: ${missing.join(', ')}`);
  process.exit(1);
}
console.log(
  'Done. Run Facet with --device gpu (or auto) to use CUDA; it needs an NVIDIA driver with the CUDA 12 and cuDNN 9 runtimes ' +
    'on the library path, and falls back to the CPU with the reason in `facet status` otherwise.',
);

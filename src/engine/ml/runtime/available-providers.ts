import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { listSupportedBackends } from 'onnxruntime-node';

/** The shared libraries onnxruntime-node's own installer adds for CUDA 12 (script/install-metadata.js). */
export const CUDA_LIBRARIES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];

/** onnxruntime-node's binary folder for this platform, where the CUDA installer puts its files. */
export function ortBinaryDir(platform: string = process.platform, arch: string = process.arch): string {
  // createRequire(__filename) works both in the CommonJS bundles and under vitest, which defines __filename.
  const pkg = createRequire(__filename).resolve('onnxruntime-node/package.json');
  return path.join(path.dirname(pkg), 'bin', 'napi-v6', platform, arch);
}

export function cudaLibrariesInstalled(binaryDir: string = ortBinaryDir()): boolean {
  return CUDA_LIBRARIES.every((lib) => fs.existsSync(path.join(binaryDir, lib)));
}

/**
 * Providers that can load here: the ones bundled in the package, plus CUDA when its libraries were
 * installed by `npm run gpu:cuda`. (onnxruntime lists CUDA even when its libraries are absent, and
 * silently drops unknown providers, so asking it alone would misreport what runs.)
 */
export function availableProviders(): string[] {
  return listSupportedBackends()
    .filter((b) => b.bundled || (b.name === 'cuda' && cudaLibrariesInstalled()))
    .map((b) => b.name);
}

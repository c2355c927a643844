import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { WASM_KERNELS, generatedModule } from '../../../../scripts/build-wasm.mjs';

const root = path.resolve(__dirname, '../../../..');

/** The committed binaries are what their sources compile to now, so an edited kernel cannot ship stale. */
it.each(WASM_KERNELS)(
  '$constant is what its AssemblyScript source compiles to now (npm run build:wasm)',
  async (kernel) => {
    expect(fs.readFileSync(path.join(root, kernel.module), 'utf8')).toBe(await generatedModule(kernel));
  },
  60_000,
);

// Bundles the `facet` CLI (src/cli/facet.ts → dist-cli/facet.cjs) so `npx facet` runs with plain Node
// right after `npm install` (this runs as the `prepare` script) and before every `npm test`.
// npm packages stay external: native modules (better-sqlite3, onnxruntime-node, sharp, sqlite-vec)
// locate their binaries relative to their own package folders.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await build({
  entryPoints: [path.join(root, 'src/cli/facet.ts')],
  outfile: path.join(root, 'dist-cli/facet.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

// Bundles the `facet` CLI (src/cli/facet.ts → dist-cli/facet.cjs) so `npx facet` runs with plain Node
// right after `npm install` (this runs as the `prepare` script) and before every `npm test`; and, in a
// source checkout, the benchmarks' CLI (bench/facet-bench.ts → dist-cli/facet-bench.cjs), which
// bin/facet.cjs runs for `facet bench …`. The product bundle holds no benchmark code.
// npm packages stay external: native modules (better-sqlite3, onnxruntime-node, sharp, sqlite-vec)
// locate their binaries relative to their own package folders.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bundles = [['src/cli/facet.ts', 'dist-cli/facet.cjs']];
if (fs.existsSync(path.join(root, 'bench/facet-bench.ts'))) bundles.push(['bench/facet-bench.ts', 'dist-cli/facet-bench.cjs']);
await Promise.all(
  bundles.map(([entry, out]) =>
    build({
      entryPoints: [path.join(root, entry)],
      outfile: path.join(root, out),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: 'warning',
    }),
  ),
);

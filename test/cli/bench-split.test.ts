import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runFacet } from '../support/cli';
import { REPO_ROOT } from '../support/paths';

/**
 * The benchmarks live in bench/, outside the product: `facet bench …` (and `npm run bench`) run them from
 * their own bundle, while the product's bundle carries none of their code and never looks for ../shared.
 */
it('facet bench lists every benchmark, from the bench bundle', async () => {
  const run = await runFacet(['bench', '--help']);
  expect(run.code, run.stderr).toBe(0);
  for (const name of ['index', 'people', 'rss', 'search']) expect(run.stdout).toMatch(new RegExp(`^\\s+${name} `, 'm'));
});

it('the product bundle holds no benchmark code and answers `bench` with where the benchmarks are', async () => {
  const product = fs.readFileSync(path.join(REPO_ROOT, 'dist-cli', 'facet.cjs'), 'utf8');
  for (const marker of ['benchIndex', 'benchSearch', 'benchRss', 'benchClusteringSpeed', 'FACET_SHARED_DIR', 'bench/cli', 'search-bench'])
    expect(product).not.toContain(marker);
  const { main } = createRequire(__filename)(path.join(REPO_ROOT, 'dist-cli', 'facet.cjs')) as {
    main: (argv: string[]) => Promise<number>;
  };
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    expect(await main(['node', 'facet', 'bench', 'search', '--photos', '10'])).toBe(1);
  } finally {
    process.stderr.write = write;
  }
  expect(written.join('')).toContain('The benchmarks are not part of this build');
});

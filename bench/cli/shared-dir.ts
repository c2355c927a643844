import path from 'node:path';

/**
 * Where ../shared lives for benchmarks that need real photos and models: FACET_SHARED_DIR, else the
 * repository's sibling (the bench bundle is dist-cli/facet-bench.cjs, two levels below it).
 */
export function sharedDir(): string {
  return process.env.FACET_SHARED_DIR ?? path.resolve(__dirname, '..', '..', 'shared');
}

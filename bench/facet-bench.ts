import { COMMANDS, main as facetMain } from '../src/cli/facet';
import { registerBenchCommand } from './cli/bench-command';

/**
 * `facet bench …`: the product's CLI plus the benchmark commands, bundled apart from it
 * (scripts/build-cli.mjs → dist-cli/facet-bench.cjs) so that nothing under src/ imports bench/.
 */
export function main(argv: string[] = process.argv): Promise<number> {
  return facetMain(argv, [...COMMANDS, registerBenchCommand]);
}

import os from 'node:os';
import type { Command } from 'commander';
import { benchSearch } from '../search-bench';
import type { CliContext } from '../../src/cli/context';
import { positiveInt } from '../../src/cli/commands/cli-numbers';

/** `facet bench search --photos N`: search latency (and recall against an exact scan) on N synthetic photos. */
export function registerBenchSearch(bench: Command, cli: CliContext): void {
  bench
    .command('search')
    .description('text-search latency, k = 50, with and without a person + date filter, on N synthetic photos')
    .requiredOption('--photos <n>', 'photos in the temporary library', positiveInt('--photos', 10_000_000))
    .option('--queries <n>', 'timed queries per variant (default 50)', positiveInt('--queries', 10_000))
    .option('--recall-queries <n>', 'queries checked against an exact scan (default 10)', positiveInt('--recall-queries', 10_000))
    .option('--temp <dir>', 'where the temporary library goes', os.tmpdir())
    .option('--cache <dir>', 'keep the library in this folder and reuse it on the next run (a million photos take minutes to write)')
    .option('--cold', 'drop the library files from the page cache before each timed query (Linux): a first search of the day')
    .option('--json', 'print JSON (always on)')
    .action(async (options: { photos: number; queries?: number; recallQueries?: number; temp: string; cache?: string; cold?: boolean }) => {
      const report = await benchSearch({
        photos: options.photos,
        tempDir: options.temp,
        ...(options.cache ? { cacheDir: options.cache } : {}),
        ...(options.queries ? { queries: options.queries } : {}),
        ...(options.recallQueries ? { recallQueries: options.recallQueries } : {}),
        ...(options.cold ? { cold: true } : {}),
        onProgress: (message) => cli.stderr.isTTY && cli.stderr.write(`\r${message}\u001b[K`),
      });
      if (cli.stderr.isTTY) cli.stderr.write('\n');
      cli.print({ json: true }, report);
    });
}

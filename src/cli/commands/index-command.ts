import type { Command } from 'commander';
import { FacetError } from '../../common/errors';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { progressBar } from '../progress-bar';

/**
 * `facet index <folder>...`: exits 0 even when some files fail (they are listed with reasons), and ends
 * with the one-line summary the contract promises.
 */
export function registerIndexCommand(program: Command, cli: CliContext): void {
  withCommonOptions(program.command('index').description('scan folders and index new or changed photos').argument('<folder...>', 'folders to scan'))
    .option('--concurrency <n>', 'photos in flight at once', (v) => Number.parseInt(v, 10))
    .action(async (folders: string[], options: CommonOptions & { concurrency?: number }) => {
      if (options.concurrency !== undefined && !(options.concurrency >= 1 && options.concurrency <= 64)) {
        throw new FacetError('invalid_argument', '--concurrency must be between 1 and 64');
      }
      const bar = progressBar(cli.stderr);
      await cli.withEngine({ ...options, onEvent: (event, payload) => event === 'index.progress' && bar.update(payload as never), ...(options.concurrency ? { concurrency: options.concurrency } : {}) }, async (engine) => {
        const result = await engine.index(folders);
        bar.done();
        if (options.json) {
          cli.print(options, result);
          return;
        }
        for (const problem of [...result.problems, ...result.failures]) cli.stderr.write(`${problem.path}: ${problem.reason}\n`);
        cli.stdout.write(
          `indexed ${result.indexed}, unchanged ${result.unchanged}, failed ${result.failed}, unsupported ${result.unsupported}, faces ${result.faces}, seconds ${result.seconds.toFixed(1)}` +
            (result.missing ? `, missing ${result.missing}` : '') +
            (result.offlineFolders.length ? `, offline folders ${result.offlineFolders.length}` : '') +
            '\n',
        );
      });
    });
}

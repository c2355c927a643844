import type { Command } from 'commander';
import { unwrap } from '../../common/result';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { describeJobs } from '../job-progress';
import { positiveInt } from './cli-numbers';

/** `facet jobs [--json]`: the library's job queue (what runs, waits, failed and why). */
export function registerJobsCommand(program: Command, cli: CliContext): void {
  withCommonOptions(program.command('jobs').description('the background job queue: running, waiting, paused, failed (with why) and recent finished jobs'))
    .option('--limit <n>', 'finished jobs to show', positiveInt('--limit', 500))
    .action(async (options: CommonOptions & { limit?: number }) => {
      await cli.withEngine({ ...options, readonly: false }, async (engine) => {
        const jobs = unwrap(await engine.call('jobs.list', { limit: options.limit ?? 50 }));
        cli.print(options, jobs, () => describeJobs(jobs));
      });
    });
}

import type { Command } from 'commander';
import { unwrap } from '../../common/result';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { describeJobProgress, describeJobs } from '../job-progress';
import { positiveInt } from './cli-numbers';

/**
 * `facet jobs [--json]`: the library's job queue (what runs, waits, failed and why);
 * `facet jobs pause|resume|cancel <id>`: the same controls as the app's Indexing page, from any process
 * (a running job stops after the photo in hand, wherever it runs).
 */
export function registerJobsCommand(program: Command, cli: CliContext): void {
  const jobs = withCommonOptions(
    program.command('jobs').description('the background job queue: running, waiting, paused, failed (with why) and recent finished jobs'),
  )
    .option('--limit <n>', 'finished jobs to show', positiveInt('--limit', 500))
    .action(async (options: CommonOptions & { limit?: number }) => {
      await cli.withEngine(options, async (engine) => {
        const list = unwrap(await engine.call('jobs.list', { limit: options.limit ?? 50 }));
        cli.print(options, list, () => describeJobs(list));
      });
    });

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    withCommonOptions(jobs.command(`${action} <id>`).description(`${action} a job (see facet jobs for ids)`)).action(
      async (id: string, _local: CommonOptions, command: Command) => {
        const options = command.optsWithGlobals<CommonOptions>();
        await cli.withEngine(options, async (engine) => {
          const job = unwrap(await engine.call(`jobs.${action}`, { id: positiveInt('job id')(id) }));
          cli.print(options, job, () => `${job.state}: #${job.id} ${describeJobProgress(job)}`);
        });
      },
    );
  }
}

import type { Command } from 'commander';
import { FacetError } from '../../common/errors';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import type { Engine, EngineOptions } from '../../engine/engine';
import { indexTextSummary } from '../index-text-summary';
import { describeJobProgress, jobProgressLine } from '../job-progress';
import { progressBar } from '../progress-bar';

/**
 * `facet index <folder>...`: exits 0 even when some files fail (they are listed with reasons), and ends
 * with the one-line summary the contract promises.
 */
export function registerIndexCommand(program: Command, cli: CliContext): void {
  withCommonOptions(
    program.command('index').description('scan folders and index new or changed photos').argument('<folder...>', 'folders to scan'),
  )
    .option('--concurrency <n>', 'photos in flight at once', (v) => Number.parseInt(v, 10))
    .option('--no-text', 'do not read text in photos this time (the text job is neither queued nor run)')
    .action(async (folders: string[], options: CommonOptions & { concurrency?: number; text: boolean }) => {
      if (options.concurrency !== undefined && !(options.concurrency >= 1 && options.concurrency <= 64)) {
        throw new FacetError('invalid_argument', '--concurrency must be between 1 and 64');
      }
      const bar = progressBar(cli.stderr);
      const line = jobProgressLine(cli.stderr);
      let engineRef: Engine | null = null;
      const onEvent: EngineOptions['onEvent'] = (event, payload) => {
        if (event === 'index.progress') bar.update(payload as never);
        if (event === 'jobs.changed' && engineRef) line.update(engineRef.ctx.jobs.list(1).find((j) => j.state === 'running'));
      };
      await cli.withEngine(
        { ...options, onEvent, readText: options.text, ...(options.concurrency ? { concurrency: options.concurrency } : {}) },
        async (engine) => {
          engineRef = engine;
          const before = new Set(
            engine.ctx.jobs
              .list(500)
              .filter((j) => j.state === 'done' || j.state === 'failed')
              .map((j) => j.id),
          );
          const textBefore = engine.textCounts();
          const result = await engine.index(folders);
          bar.done();
          // Then what else is queued (text in photos, and the CLIP and face backfills it asked for), here in the foreground.
          await engine.runJobs();
          line.done();
          const followUps = engine.ctx.jobs
            .list(500)
            .filter((j) => j.kind !== 'index' && !before.has(j.id) && (j.state === 'done' || j.state === 'failed'));
          if (!options.json)
            for (const job of followUps)
              cli.stderr.write(
                `${job.state === 'done' ? 'done' : 'FAILED'}: ${describeJobProgress(job)}${job.error ? ` (${job.error})` : ''}\n`,
              );
          if (options.json) {
            cli.print(options, { ...result, text: indexTextSummary(textBefore, engine.textCounts(), followUps) });
            return;
          }
          if (
            engine.ctx.models.installedFor('face-detection').length === 0 ||
            engine.ctx.models.installedFor('face-embedding').length === 0
          ) {
            cli.stderr.write(
              'note: no face model is installed, so photos were indexed without faces. Get them with: facet models download --defaults (the next facet index then adds the faces).\n',
            );
          }
          for (const problem of [...result.problems, ...result.failures]) cli.stderr.write(`${problem.path}: ${problem.reason}\n`);
          cli.stdout.write(
            `indexed ${result.indexed}, unchanged ${result.unchanged}, failed ${result.failed}, unsupported ${result.unsupported}, faces ${result.faces}, seconds ${result.seconds.toFixed(1)}` +
              (result.missing ? `, missing ${result.missing}` : '') +
              (result.offlineFolders.length ? `, offline folders ${result.offlineFolders.length}` : '') +
              '\n',
          );
        },
      );
    });
}

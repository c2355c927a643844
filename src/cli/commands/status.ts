import type { Command } from 'commander';
import type { WorkerThreads } from '../../common/api/library';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { unwrap } from '../../common/result';
import { readsText } from '../../engine/jobs/text-setting';

export function registerStatusCommand(program: Command, cli: CliContext): void {
  withCommonOptions(program.command('status').description('library counts, models, execution provider and schema version')).action(
    async (options: CommonOptions) => {
      await cli.withEngine(options, async (engine) => {
        // The provider in use is known once a session is open: open the face models first (cheap, cached).
        const faceModels = await engine.ctx.faceModels().catch(() => null);
        // Likewise, whether the text models start in worker threads here (or run on the main thread, and
        // why) is known once they are open: they are embedded, so this costs no download.
        if (readsText(engine.ctx)) await engine.ctx.ocrModels().catch(() => null);
        const status = unwrap(await engine.call('library.status', {}));
        const report = {
          ...status,
          executionProvider: status.executionProvider ?? faceModels?.provider ?? null,
          fallbackReason: status.fallbackReason ?? faceModels?.fallbackReason ?? null,
        };
        const unfinished = report.jobs.filter((j) => ['queued', 'running', 'paused'].includes(j.state));
        cli.print(options, report, () =>
          [
            `Library       ${report.library} (schema v${report.schemaVersion})`,
            `Photos        ${report.counts.photos} (indexed ${report.counts.indexed}, failed ${report.counts.failed}, unsupported ${report.counts.unsupported}, missing ${report.counts.missing}, offline ${report.counts.offline})`,
            `Faces         ${report.counts.faces} in ${report.counts.people} people`,
            `Device        ${report.device} → ${report.executionProvider ?? 'no model loaded'}${report.fallbackReason ? ` (${report.fallbackReason})` : ''}`,
            // Checked by this command's own process: an index run elsewhere may have decoded single files
            // that this decoder could not read with WebAssembly, so it says "available", not "in use".
            `HEIC decoder  ${report.heicDecoder.decoder} available${report.heicDecoder.reason ? ` (${report.heicDecoder.reason})` : report.heicDecoder.decoder === 'wasm' ? '' : '; a file it cannot read is decoded by WebAssembly'}${report.heicDecoder.workersFailed ? `; WebAssembly runs on the main thread (its worker threads did not start: ${report.heicDecoder.workersFailed})` : ''}`,
            // Opened above, unless they are missing (faces) or reading text is turned off.
            ...workerLine('Face models', report.inferenceWorkers.face),
            ...workerLine('Text models', report.inferenceWorkers.text),
            `Models        ${report.models.map((m) => `${m.id}${m.installed ? '' : ' (not installed)'}`).join(', ')}`,
            `CLIP coverage ${report.clipCoverage.map((c) => `${c.modelId} ${c.photos}/${report.counts.indexed}${c.search ? ' (search)' : ''}`).join(', ') || 'no CLIP model'}`,
            `Jobs          ${unfinished.length ? unfinished.map((j) => `#${j.id} ${j.state} ${j.kind} ${j.subject}`).join('; ') : 'none waiting'}`,
          ].join('\n'),
        );
      });
    },
  );
}

/** "Face models   in 1 worker thread", or where they run instead and why; nothing when they were not opened. */
function workerLine(label: string, workers: WorkerThreads | null): string[] {
  if (!workers) return [];
  return [
    `${label.padEnd(14)}${workers.failed ? `on the main thread (their worker threads did not start: ${workers.failed})` : `in ${workers.size} worker thread${workers.size === 1 ? '' : 's'}`}`,
  ];
}

import path from 'node:path';
import type { Command } from 'commander';
import { FacetError } from '../../common/errors';
import type { InputOf, OutputOf } from '../../common/api';
import type { ApiEvents } from '../../common/api/events';
import type { ModelStatus, ModelVerification, modelsChannels } from '../../common/api/models';
import type { EngineContext } from '../../engine/context';
import { dispatch } from '../../engine/api/dispatch';
import { modelsHandlers } from '../../engine/api/models-handlers';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { type Result, unwrap } from '../../common/result';

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '?';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The manifest has no sizes for the Hugging Face-hosted files (CLIP exports, the Korean recogniser):
 * they are verified by the host's ETag, and a size written by hand would reject the real file. Their
 * size is the files' on disk once installed; before that the list says so instead of guessing.
 */
function describeModels(models: ModelStatus[]): string {
  const width = Math.max(...models.map((m) => m.id.length));
  const unknown = models.some((m) => m.bytes === null);
  return models
    .map((m) => {
      const state = (m.installed ? `installed  ${m.location}` : 'not installed') + (m.source === 'user' ? '  (added by the user)' : '');
      const size = m.bytes === null ? 'unknown' : formatBytes(m.bytes);
      return `${m.default ? '*' : ' '} ${m.id.padEnd(width)}  ${m.task.padEnd(16)} ${size.padStart(9)}  ${state}`;
    })
    .concat(
      '(* = default for its task' +
        (unknown ? '; unknown = the manifest has no size for these files, shown once they are downloaded' : '') +
        ')',
    )
    .join('\n');
}

/** One rewritten line on a terminal; nothing when stderr is piped (scripts read --json instead). */
function downloadProgressLine(stream: CliContext['stderr']) {
  return {
    update({ modelId, receivedBytes, totalBytes }: ApiEvents['models.downloadProgress']) {
      if (!stream.isTTY) return;
      const percent = totalBytes ? ` (${Math.floor((receivedBytes / totalBytes) * 100)}%)` : '';
      stream.write(`\rDownloading ${modelId}  ${formatBytes(receivedBytes)} / ${formatBytes(totalBytes)}${percent}\u001b[K`);
    },
    done() {
      if (stream.isTTY) stream.write('\r\u001b[K');
    },
  };
}

/** After an install: what the queued backfills will do, and when. */
function backfillHint(ctx: EngineContext): string {
  const waiting = ctx.jobs.list(0).filter((j) => j.state === 'queued' && j.kind.startsWith('backfill'));
  return waiting.length
    ? `Queued: ${waiting.map((j) => `${j.kind} ${j.subject}`).join(', ')}. The next facet index runs them (or the app, in the background).`
    : '';
}

/**
 * Calls a models.* channel through the contract (zod validation, envelope) with this domain's own
 * handlers, so the commands do not depend on which handler maps the engine merges.
 */
async function callModels<N extends keyof typeof modelsChannels>(
  cli: CliContext,
  ctx: EngineContext,
  channel: N,
  input: InputOf<N>,
): Promise<OutputOf<N>> {
  return unwrap((await dispatch(ctx, modelsHandlers, channel, input)) as Result<OutputOf<N>>);
}

/**
 * Options given before or after a subcommand land on `models` or on the subcommand (commander lets
 * the parent consume them); merging both keeps `facet models --json verify x` and
 * `facet models verify x --json` alike, and never silently falls back to the default library.
 */
function optionsOf(command: Command): CommonOptions {
  return command.optsWithGlobals<CommonOptions>();
}

/** `facet models [--json]`, `facet models download|remove|verify <id>`. */
export function registerModelsCommands(program: Command, cli: CliContext): void {
  const models = withCommonOptions(
    program.command('models').description('list models and their status; download, verify or remove them'),
  ).action(async (options: CommonOptions) => {
    await cli.withEngine(options, async (engine) => {
      const list = await callModels(cli, engine.ctx, 'models.list', {});
      cli.print(options, list, () => describeModels(list));
    });
  });

  withCommonOptions(
    models
      .command('download [id]')
      .description(
        'download a model into the library, verified by sha256 (resumes an interrupted download); FACET_MODEL_MIRROR=URL fetches URL/<id>/<file> instead',
      )
      .option('--defaults', 'the default model of every face task (what a first run needs)'),
  ).action(async (id: string | undefined, _local: CommonOptions, command: Command) => {
    const options = optionsOf(command) as CommonOptions & { defaults?: boolean };
    if (!id && !options.defaults)
      throw new FacetError('invalid_argument', 'Name a model to download (see facet models), or use --defaults for the face models.');
    if (id && options.defaults) throw new FacetError('invalid_argument', 'Give either a model id or --defaults, not both.');
    const line = downloadProgressLine(cli.stderr);
    const onEvent = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => {
      if (event === 'models.downloadProgress') line.update(payload as ApiEvents['models.downloadProgress']);
    };
    await cli.withEngine({ ...options, onEvent }, async (engine) => {
      try {
        const statuses = id
          ? [await callModels(cli, engine.ctx, 'models.download', { id })]
          : await callModels(cli, engine.ctx, 'models.downloadDefaults', {});
        line.done();
        cli.print(options, id ? statuses[0] : statuses, () =>
          statuses
            .map((status) => `Downloaded ${status.id} (${formatBytes(status.bytes)}) to ${status.location}`)
            .concat(backfillHint(engine.ctx) || [])
            .join('\n'),
        );
      } catch (error) {
        line.done();
        throw error;
      }
    });
  });

  withCommonOptions(
    models
      .command('add <folder>')
      .description(
        'install a model copied from elsewhere: an Immich/open_clip ONNX CLIP export (config.json, visual/, textual/); checked, hashed and copied into the library',
      )
      .option('--id <id>', 'the id to give it (default: the folder name)'),
  ).action(async (folder: string, _local: CommonOptions, command: Command) => {
    const options = optionsOf(command) as CommonOptions & { id?: string };
    await cli.withEngine(options, async (engine) => {
      const status = await callModels(cli, engine.ctx, 'models.add', {
        folder: path.resolve(folder),
        ...(options.id ? { id: options.id } : {}),
      });
      cli.print(options, status, () =>
        [`Added ${status.id} (${formatBytes(status.bytes)}) to ${status.location}`, backfillHint(engine.ctx)].filter(Boolean).join('\n'),
      );
    });
  });

  withCommonOptions(
    models.command('verify [id]').description('check installed models against their checksums (all installed ones without an id)'),
  ).action(async (id: string | undefined, _local: CommonOptions, command: Command) => {
    const options = optionsOf(command);
    await cli.withEngine(options, async (engine) => {
      const ids = id ? [id] : (await callModels(cli, engine.ctx, 'models.list', {})).filter((m) => m.installed).map((m) => m.id);
      const results: ModelVerification[] = [];
      for (const modelId of ids) results.push(await callModels(cli, engine.ctx, 'models.verify', { id: modelId }));
      cli.print(
        options,
        results,
        () =>
          results.map((r) => (r.ok ? `ok       ${r.id}` : `FAILED   ${r.id}: ${r.error?.message}`)).join('\n') || 'No models installed.',
      );
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    });
  });

  withCommonOptions(
    models.command('remove <id>').description('delete the library’s copy of a model (a --models folder is never touched)'),
  ).action(async (id: string, _local: CommonOptions, command: Command) => {
    const options = optionsOf(command);
    await cli.withEngine(options, async (engine) => {
      const result = await callModels(cli, engine.ctx, 'models.remove', { id });
      cli.print(options, result, () => (result.removed ? `Removed ${id}.` : `${id} was not in the library.`));
    });
  });
}

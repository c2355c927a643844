import type { Command } from 'commander';
import { FacetError, isFacetError } from '../common/errors';
import { toApiError } from '../common/result';
import { type Device, deviceSchema } from '../common/api/device';
import { Engine, type EngineOptions } from '../engine/engine';

export interface CommonOptions {
  library?: string;
  models?: string;
  device?: Device;
  json?: boolean;
}

/** The options every command takes, declared once. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--library <dir>', 'library folder (default: $FACET_LIBRARY, then the per-user app-data folder)')
    .option('--models <dir>', 'folder of model files to use before the library’s own (default: $FACET_MODELS_DIR)')
    .option('--device <device>', 'auto | cpu | gpu', parseDevice)
    .option('--json', 'print machine-readable JSON');
}

function parseDevice(value: string): Device {
  const parsed = deviceSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new FacetError('invalid_argument', `--device must be auto, cpu or gpu (got "${value}")`);
}

export interface CliContext {
  /** Opens the engine for one command and always closes it. */
  withEngine<T>(options: CommonOptions & Partial<EngineOptions>, work: (engine: Engine) => Promise<T>): Promise<T>;
  /** JSON to stdout with --json, else the human form. */
  print(options: CommonOptions, value: unknown, human?: () => string): void;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createCliContext(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): CliContext {
  return {
    async withEngine(options, work) {
      const engine = Engine.open({ ...options, libraryDir: options.library, modelsDir: options.models, device: options.device ?? 'auto' });
      try {
        const result = await work(engine);
        // A people edit queued a (debounced) re-suggest: the CLI has no later, so it runs now, here.
        if (!options.readonly && engine.ctx.jobs.hasWaiting(['resuggest'])) await engine.runJobs({ kinds: ['resuggest'] });
        return result;
      } finally {
        engine.close();
      }
    },
    print(options, value, human) {
      stdout.write(options.json || !human ? `${JSON.stringify(value, null, options.json ? 0 : 2)}\n` : `${human()}\n`);
    },
    stdout,
    stderr,
  };
}

/** Exit codes: 0 ok, 1 an error the user can act on, 2 a malformed command line. */
export function exitCodeFor(error: unknown): number {
  const code = isFacetError(error) ? error.code : toApiError(error).code;
  return code === 'invalid_argument' ? 2 : 1;
}

import { Command, CommanderError } from 'commander';
import { FacetError, isFacetError } from '../common/errors';
import { toApiError } from '../common/result';
import { registerIndexCommand } from './commands/index-command';
import { registerJobsCommand } from './commands/jobs';
import { registerListingCommands } from './commands/listings';
import { registerModelsCommands } from './commands/models';
import { registerPeopleCommands } from './commands/people';
import { registerSearchCommands } from './commands/search';
import { registerStatusCommand } from './commands/status';
import { registerTextCommand } from './commands/text';
import { type CliContext, createCliContext, exitCodeFor } from './context';

export type Registration = (program: Command, cli: CliContext) => void;

/**
 * Every command family of the product registers itself here; each lives in its own file under
 * commands/. `facet bench …` is not among them: the benchmarks live in bench/ and run from their own
 * bundle (dist-cli/facet-bench.cjs, which bin/facet.cjs picks for `facet bench`), so the shipped CLI
 * carries no benchmark code and never looks for ../shared.
 */
export const COMMANDS: Registration[] = [
  registerIndexCommand,
  registerListingCommands,
  registerStatusCommand,
  registerJobsCommand,
  registerPeopleCommands,
  registerSearchCommands,
  registerTextCommand,
  registerModelsCommands,
];

/** Without the bench bundle (a packaged install has no bench/), `facet bench` says where benchmarks live. */
function registerBenchPlaceholder(program: Command): void {
  program
    .command('bench')
    .description('benchmarks (JSON output; needs a source checkout with bench/)')
    .allowUnknownOption()
    .argument('[args...]')
    .action(() => {
      throw new FacetError(
        'unsupported',
        'The benchmarks are not part of this build. Run them from a source checkout: npm run bench -- <what>.',
      );
    });
}

export function buildProgram(cli: CliContext, registrations: Registration[] = COMMANDS): Command {
  const program = new Command('facet')
    .description('Facet: a local-first photo organizer. Index folders, find people, search photos.')
    .showHelpAfterError()
    .exitOverride();
  for (const register of registrations) register(program, cli);
  return program;
}

export async function main(
  argv: string[] = process.argv,
  registrations: Registration[] = [...COMMANDS, registerBenchPlaceholder],
): Promise<number> {
  const cli = createCliContext();
  try {
    await buildProgram(cli, registrations).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const message = isFacetError(error) ? error.message : toApiError(error).message;
    cli.stderr.write(`facet: ${message}\n`);
    if (process.env.FACET_DEBUG && error instanceof Error) cli.stderr.write(`${error.stack}\n`);
    return exitCodeFor(error);
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}

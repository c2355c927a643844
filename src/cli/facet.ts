import { Command, CommanderError } from 'commander';
import { isFacetError } from '../common/errors';
import { toApiError } from '../common/result';
import { registerBenchCommand } from './commands/bench';
import { registerIndexCommand } from './commands/index-command';
import { registerListingCommands } from './commands/listings';
import { registerModelsCommands } from './commands/models';
import { registerPeopleCommands } from './commands/people';
import { registerSearchCommands } from './commands/search';
import { registerStatusCommand } from './commands/status';
import { type CliContext, createCliContext, exitCodeFor } from './context';

/** Every command family registers itself here; each lives in its own file under commands/. */
const REGISTRATIONS: ((program: Command, cli: CliContext) => void)[] = [
  registerIndexCommand,
  registerListingCommands,
  registerStatusCommand,
  registerPeopleCommands,
  registerSearchCommands,
  registerModelsCommands,
  registerBenchCommand,
];

export function buildProgram(cli: CliContext): Command {
  const program = new Command('facet')
    .description('Facet: a local-first photo organizer. Index folders, find people, search photos.')
    .showHelpAfterError()
    .exitOverride();
  for (const register of REGISTRATIONS) register(program, cli);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const cli = createCliContext();
  try {
    await buildProgram(cli).parseAsync(argv);
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
  main().then((code) => {
    process.exitCode = code;
  });
}

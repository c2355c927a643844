import type { Command } from 'commander';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { unwrap } from '../../common/result';
import { FILE_STATUSES, type FileStatus } from '../../common/api/library';

const PAGE = 10_000;

/** Reads a paged channel to the end (the contract caps a page, the CLI prints everything). */
async function allPages<T>(fetchPage: (offset: number, limit: number) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await fetchPage(offset, PAGE);
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

/** `facet files` and `facet faces`: the library's contents as the CLI contract defines them. */
export function registerListingCommands(program: Command, cli: CliContext): void {
  withCommonOptions(program.command('files').description('every file the library knows, with its status'))
    .option('--status <status>', `only files with this status (${FILE_STATUSES.join(', ')})`)
    .action(async (options: CommonOptions & { status?: FileStatus }) => {
      await cli.withEngine({ ...options, readonly: true }, async (engine) => {
        const files = await allPages((offset, limit) =>
          engine.call('library.files', { ...(options.status ? { status: options.status } : {}), offset, limit }).then(unwrap),
        );
        cli.print(
          options,
          files.map(({ id: _id, ...file }) => file),
          () =>
            files.map((f) => `${f.status.padEnd(11)} ${f.faces} faces  ${f.path}${f.error ? `  (${f.error})` : ''}`).join('\n') ||
            'No files.',
        );
      });
    });

  withCommonOptions(program.command('faces').description('every face: box, landmarks, person, confidence, suggestion')).action(
    async (options: CommonOptions) => {
      await cli.withEngine({ ...options, readonly: true }, async (engine) => {
        const faces = await allPages((offset, limit) => engine.call('library.faces', { offset, limit }).then(unwrap));
        cli.print(
          options,
          faces,
          () =>
            faces
              .map(
                (f) =>
                  `#${f.id} ${f.photo} [${f.box.map((v) => Math.round(v)).join(', ')}] ${f.personName ?? (f.person ? `person ${f.person}` : f.suggestion ? `suggest ${f.suggestion.personName} ${(f.suggestion.confidence * 100).toFixed(0)}%` : 'unassigned')}`,
              )
              .join('\n') || 'No faces.',
        );
      });
    },
  );
}

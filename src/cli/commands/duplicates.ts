import type { Command } from 'commander';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { unwrap } from '../../common/result';

/** `facet duplicates`: groups of exact and near-duplicate photos with a suggested keeper. Deletes nothing. */
export function registerDuplicatesCommand(program: Command, cli: CliContext): void {
  withCommonOptions(
    program.command('duplicates').description('exact and near-duplicate photos, each group with a suggested keeper (nothing is deleted)'),
  )
    .option('--no-embeddings', 'use perceptual hashes only, even when a CLIP model has embedded the library')
    .action(async (options: CommonOptions & { embeddings: boolean }) => {
      await cli.withEngine({ ...options, readonly: true }, async (engine) => {
        const groups = unwrap(await engine.call('search.duplicates', { useEmbeddings: options.embeddings }));
        cli.print(options, groups, () =>
          groups.length
            ? groups
                .map((g) =>
                  [
                    `${g.kind} duplicates (${g.photos.length}):`,
                    ...g.photos.map(
                      (p) =>
                        `  ${p.photoId === g.keeper ? 'keep ' : '     '}${p.width ?? '?'}×${p.height ?? '?'}  ${p.match.padEnd(10)} ${p.photo}`,
                    ),
                  ].join('\n'),
                )
                .join('\n')
            : 'No duplicates.',
        );
      });
    });
}

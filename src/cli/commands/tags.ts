import type { Command } from 'commander';
import { FacetError } from '../../common/errors';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { unwrap } from '../../common/result';

/** `facet tags`: the zero-shot tags in use; `--add NAME [--prompt P]` / `--remove NAME` manage saved concepts. */
export function registerTagsCommand(program: Command, cli: CliContext): void {
  withCommonOptions(program.command('tags').description('zero-shot tags with photo counts; add or remove your own concepts'))
    .option('--add <name>', 'save a concept of your own (tags the photos already indexed)')
    .option('--prompt <text>', 'with --add: the text to match (default: "a photo of <name>")')
    .option('--remove <name>', 'forget a saved concept')
    .action(async (options: CommonOptions & { add?: string; prompt?: string; remove?: string }) => {
      if (options.add && options.remove) throw new FacetError('invalid_argument', 'Use --add or --remove, not both.');
      if (options.prompt && !options.add) throw new FacetError('invalid_argument', '--prompt goes with --add.');
      await cli.withEngine({ ...options, readonly: !options.add && !options.remove }, async (engine) => {
        if (options.add) {
          const saved = unwrap(
            await engine.call('search.addConcept', { name: options.add, ...(options.prompt ? { prompt: options.prompt } : {}) }),
          );
          cli.print(options, saved, () => `saved "${saved.name}" (${saved.prompt}): ${saved.photos} photos tagged`);
          return;
        }
        if (options.remove) {
          const result = unwrap(await engine.call('search.removeConcept', { name: options.remove }));
          if (!result.removed) throw new FacetError('not_found', `No saved concept named "${options.remove}".`);
          cli.print(options, result, () => `removed "${options.remove}"`);
          return;
        }
        const tags = unwrap(await engine.call('search.tags', {}));
        cli.print(
          options,
          tags,
          () =>
            tags.map((t) => `${String(t.photos).padStart(6)}  ${t.tag}${t.source === 'user' ? '  (yours)' : ''}`).join('\n') ||
            'No tags yet: install a CLIP model and index (facet models download …, facet index …).',
        );
      });
    });
}

import path from 'node:path';
import type { Command } from 'commander';
import { resolvePhotoRef } from '../../engine/search/similar';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context';
import { positiveInt, scoreValue } from './cli-numbers';
import { printHits } from './print-hits';
import { unwrap } from '../../common/result';

/** `facet similar <photo|id>`: photos that look like this one (CLIP image vectors). */
export function registerSimilarCommand(program: Command, cli: CliContext): void {
  withCommonOptions(
    program.command('similar').description('photos that look like the given one').argument('<photo>', 'a photo path or library id'),
  )
    .option('--limit <n>', 'at most this many results (default 50)', positiveInt('--limit', 1000))
    .option('--min-score <s>', 'only results at least this similar (-1..1)', scoreValue('--min-score'))
    .action(async (photo: string, options: CommonOptions & { limit?: number; minScore?: number }) => {
      await cli.withEngine({ ...options, readonly: true }, async (engine) => {
        const photoId = resolvePhotoRef(engine.library, photo, (p) => path.resolve(p));
        const hits = unwrap(
          await engine.call('search.similar', {
            photoId,
            ...(options.limit ? { limit: options.limit } : {}),
            ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
          }),
        );
        printHits(cli, options, hits, 'No similar photos.');
      });
    });
}

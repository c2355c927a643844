import path from 'node:path';
import type { Command } from 'commander';
import { benchRss } from '../rss-bench';
import { type CliContext, type CommonOptions, withCommonOptions } from '../../src/cli/context';
import { sharedDir } from './shared-dir';

/** `facet bench rss --photos N`: peak RSS while indexing N tiny distinct photos (the 100k-photo limit). */
export function registerBenchRss(bench: Command, cli: CliContext): void {
  withCommonOptions(bench.command('rss').description('peak RSS while indexing N tiny distinct photos in one run'))
    .option('--photos <n>', 'photos to generate and index', (v) => Number.parseInt(v, 10), 100_000)
    .option('--concurrency <n>', 'photos in flight', (v) => Number.parseInt(v, 10))
    .option('--work <dir>', 'where generated photos (kept as a cache) and the throwaway library go')
    .option('--prefill <n>', 'of the photos, register this many as already indexed (with faces) instead of analysing them', (v) =>
      Number.parseInt(v, 10),
    )
    .option('--faces-per-photo <n>', 'faces per prefilled photo (default 1)', (v) => Number.parseInt(v, 10))
    .action(
      async (
        options: CommonOptions & { photos: number; concurrency?: number; work?: string; prefill?: number; facesPerPhoto?: number },
      ) => {
        const report = await benchRss({
          photos: options.photos,
          modelsDir: options.models ?? process.env.FACET_MODELS_DIR ?? path.join(sharedDir(), 'models'),
          device: options.device ?? 'auto',
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
          ...(options.work ? { workDir: options.work } : {}),
          ...(options.prefill ? { prefill: options.prefill } : {}),
          ...(options.facesPerPhoto ? { facesPerPhoto: options.facesPerPhoto } : {}),
        });
        cli.print({ ...options, json: true }, report);
      },
    );
}

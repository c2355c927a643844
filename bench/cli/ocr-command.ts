import path from 'node:path';
import type { Command } from 'commander';
import { benchOcrQuality } from '../ocr-quality';
import { type CliContext, type CommonOptions, withCommonOptions } from '../../src/cli/context';
import { sharedDir } from './shared-dir';

/** `facet bench ocr`: text-in-photos search quality per script, on signs generated over ../shared photos. */
export function registerBenchOcr(bench: Command, cli: CliContext): void {
  withCommonOptions(bench.command('ocr').description('text-in-photos search quality on generated signs over real photos, per script'))
    .option('--latin <n>', 'photos with Latin words', (v) => Number.parseInt(v, 10), 40)
    .option('--digits <n>', 'photos with numbers', (v) => Number.parseInt(v, 10), 20)
    .option('--chinese <n>', 'photos with Chinese words (needs a CJK font)', (v) => Number.parseInt(v, 10), 20)
    .option('--distractors <n>', 'photos without text', (v) => Number.parseInt(v, 10), 80)
    .option('--long-side <px>', 'long side of the generated photos (default 1600; 4000 is a 12 MP camera photo)', (v) =>
      Number.parseInt(v, 10),
    )
    .action(async (options: CommonOptions & { latin: number; digits: number; chinese: number; distractors: number; longSide?: number }) => {
      const shared = path.join(sharedDir(), 'photos');
      const report = await benchOcrQuality({
        backgrounds: [path.join(shared, 'objects'), path.join(shared, 'captions', 'images')],
        modelsDir: options.models ?? process.env.FACET_MODELS_DIR ?? path.join(sharedDir(), 'models'),
        device: options.device ?? 'auto',
        perScript: { latin: options.latin, digits: options.digits, chinese: options.chinese },
        distractors: options.distractors,
        ...(options.longSide ? { longSide: options.longSide } : {}),
      });
      cli.print({ ...options, json: true }, report);
    });
}

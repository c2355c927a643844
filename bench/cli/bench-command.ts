import path from 'node:path';
import { type Command, Option } from 'commander';
import { benchDuplicates } from '../duplicates-bench';
import { PHOTO_SETS, type PhotoSet, benchHeic } from '../heic-bench';
import { averageLibrarySources } from '../average-library';
import { benchIndex } from '../index-bench';
import { registerBenchOcr } from './ocr-command';
import { positiveInt } from '../../src/cli/commands/cli-numbers';
import { registerBenchPeople } from './people-command';
import { registerBenchRss } from './rss-command';
import { registerBenchSearch } from './search-command';
import { type CliContext, type CommonOptions, withCommonOptions } from '../../src/cli/context';
import { sharedDir } from './shared-dir';

/**
 * `facet bench <what>`: benchmarks print JSON. Each family adds its subcommand through BENCH_SUBCOMMANDS.
 */
export const BENCH_SUBCOMMANDS: ((bench: Command, cli: CliContext) => void)[] = [
  registerBenchIndex,
  registerBenchPeople,
  registerBenchRss,
  registerBenchSearch,
  registerBenchOcr,
  registerBenchDuplicates,
  registerBenchHeic,
];

export function registerBenchCommand(program: Command, cli: CliContext): void {
  const bench = program.command('bench').description('benchmarks (JSON output)');
  for (const register of BENCH_SUBCOMMANDS) register(bench, cli);
}

function registerBenchIndex(bench: Command, cli: CliContext): void {
  withCommonOptions(
    bench
      .command('index')
      .description(
        'indexing of 12-megapixel JPEGs against the bound of the unavoidable work; the extra cost of text in photos against the face pass',
      ),
  )
    .option('--photos <n>', 'photos to generate and index', (v) => Number.parseInt(v, 10), 60)
    .option('--source <dir...>', 'photos to scale up (default: ../shared faces-celebs and groups)')
    .option('--concurrency <n>', 'photos in flight', (v) => Number.parseInt(v, 10))
    .option('--text-share <s>', 'share of the photos that get a sign with a word (text in photos; default 0.1)', (v) =>
      Number.parseFloat(v),
    )
    .option('--clip', 'index with a ViT-B/32-shaped CLIP (random weights, generated once into the work folder) and count it in the bound')
    .action(
      async (options: CommonOptions & { photos: number; source?: string[]; concurrency?: number; textShare?: number; clip?: boolean }) => {
        const shared = path.join(sharedDir(), 'photos');
        const report = await benchIndex({
          photos: options.photos,
          sourceDirs: options.source ?? [path.join(shared, 'faces-celebs'), path.join(shared, 'groups')],
          setName: options.source
            ? options.source.join(', ')
            : '../shared faces-celebs and groups (press photos: many carry real text), every 1/text-share-th with a sign',
          averageLibrary: { sources: averageLibrarySources(shared) },
          modelsDir: options.models ?? process.env.FACET_MODELS_DIR ?? path.join(sharedDir(), 'models'),
          device: options.device ?? 'auto',
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
          ...(options.textShare !== undefined ? { textShare: options.textShare } : {}),
          ...(options.clip ? { clip: { bpeGzPath: path.join(sharedDir(), 'models', 'clip_bpe_simple_vocab_16e6.txt.gz') } } : {}),
        });
        cli.print({ ...options, json: true }, report);
      },
    );
}

function registerBenchDuplicates(bench: Command, cli: CliContext): void {
  bench
    .command('duplicates')
    .description('finding duplicates (hash index, keeper groups, embedding checks) in N synthetic photos with planted copies')
    .requiredOption('--photos <n>', 'photos in the library', positiveInt('--photos', 10_000_000))
    .option('--cache <dir>', 'keep the library in this folder and reuse it on the next run')
    .option('--json', 'print JSON (always on)')
    .action(async (options: { photos: number; cache?: string }) => {
      cli.print({ json: true }, await benchDuplicates({ photos: options.photos, ...(options.cache ? { cacheDir: options.cache } : {}) }));
    });
}

function registerBenchHeic(bench: Command, cli: CliContext): void {
  withCommonOptions(
    bench.command('heic').description('indexing 12-megapixel HEVC HEICs against the bound of cores ÷ the native decode time'),
  )
    .option('--photos <n>', 'photos to generate and index', positiveInt('--photos', 10_000), 16)
    .addOption(
      new Option(
        '--photo-set <set>',
        'detailed: 2×2 mosaics of real photos at native resolution with sensor-like noise (decode like a phone photo); smooth: upscaled portraits (decode in about half the time)',
      )
        .choices(PHOTO_SETS)
        .default('detailed'),
    )
    .option(
      '--source <dir...>',
      'photos to build them from (default: ../shared faces-celebs and groups, plus faces-album and objects for the detailed set)',
    )
    .option('--concurrency <n>', 'photos in flight (default: the engine default, at least two per core)', positiveInt('--concurrency', 64))
    .option('--grid', 'iPhone-style photos: each a grid of 512×512 HEVC tiles (generated once; slow)')
    .option('--display-p3', 'detailed set: photos in Display P3 with its ICC profile, as an iPhone stores them (generated once)')
    .action(
      async (
        options: CommonOptions & {
          photos: number;
          photoSet: PhotoSet;
          source?: string[];
          concurrency?: number;
          grid?: boolean;
          displayP3?: boolean;
        },
      ) => {
        const shared = path.join(sharedDir(), 'photos');
        const defaultSources =
          options.photoSet === 'detailed' ? ['faces-celebs', 'faces-album', 'groups', 'objects'] : ['faces-celebs', 'groups'];
        const report = await benchHeic({
          photos: options.photos,
          photoSet: options.photoSet,
          ...(options.grid ? { grid: true } : {}),
          ...(options.displayP3 ? { displayP3: true } : {}),
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
          sourceDirs: options.source ?? defaultSources.map((dir) => path.join(shared, dir)),
          modelsDir: options.models ?? process.env.FACET_MODELS_DIR ?? path.join(sharedDir(), 'models'),
          device: options.device ?? 'auto',
        });
        cli.print({ ...options, json: true }, report);
      },
    );
}

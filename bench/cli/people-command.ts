import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { Library } from '../../src/engine/library/library';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { writeHardSet } from '../people/hard-set-files';
import { calibrationAfterNaming, centredFaces, type LabelledPhoto, labelledPairDistributions, scorePeople } from '../people/quality-bench';
import { reviewFlow } from '../people/review-flow';
import { benchClusteringSpeed } from '../people/speed-bench';
import { type CliContext, type CommonOptions, withCommonOptions } from '../../src/cli/context';
import { positiveInt } from '../../src/cli/commands/cli-numbers';
import { sharedDir } from './shared-dir';

const SETS = { celebs: 'faces-celebs', lfw: 'faces-lfw-dev' } as const;
type SourceSet = keyof typeof SETS;
/** The hard sets are made from the labelled ones (hard-set.ts): `hard-celebs`, `hard-lfw`. */
type SetName = SourceSet | `hard-${SourceSet}`;

/** A throwaway copy of a library (its database only), for runs that name people. */
function withCopy<T>(library: Library, work: (copy: Library) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-people-copy-'));
  library.db.exec(`VACUUM INTO '${path.join(dir, 'facet.db').replaceAll("'", "''")}'`);
  const copy = Library.open(dir);
  try {
    return work(copy);
  } finally {
    copy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** labels.csv rows of single identities (group photos carry no single label). */
function readLabels(folder: string, imagesFolder: string): LabelledPhoto[] {
  const [, ...rows] = fs.readFileSync(path.join(folder, 'labels.csv'), 'utf8').trim().split(/\r?\n/);
  return rows
    .map((r) => r.split(','))
    .filter(([, identity]) => identity && !identity.startsWith('MULTI:'))
    .map(([file, identity]) => ({ path: path.resolve(imagesFolder, file!), identity: identity! }));
}

/**
 * `facet bench people`: on each labelled set of ../shared, index it with the real pipeline (kept in
 * --work so a second run only re-clusters), re-cluster from scratch, and print Facet's and Immich's
 * BCubed F1, then the calibration check and the review flow (name one photo per person, three rounds of
 * review, with and without learning) on copies; then the synthetic speed run at --faces. The hard sets
 * are written once under --work from the indexed labelled sets.
 */
export function registerBenchPeople(bench: Command, cli: CliContext): void {
  withCommonOptions(
    bench
      .command('people')
      .description(
        "people: BCubed F1 vs Immich's algorithm on ../shared and hard crops of it, calibration (ECE vs (cos+1)/2), the review flow with and without learning, and speed at --faces",
      ),
  )
    .option(
      '--faces <n>',
      'synthetic faces for the speed run (0 skips it)',
      (v) => (v === '0' ? 0 : positiveInt('--faces', 2_000_000)(v)),
      100_000,
    )
    .option('--sets <names>', 'labelled sets: celebs,lfw,hard-celebs,hard-lfw (none skips them)', 'celebs,lfw,hard-celebs,hard-lfw')
    .option('--work <dir>', 'where the indexed benchmark libraries are kept', path.join(os.tmpdir(), 'facet-bench-people'))
    .action(async (options: CommonOptions & { faces: number; sets: string; work: string }) => {
      const sets = options.sets === 'none' ? [] : options.sets.split(',').map((s) => s.trim() as SetName);
      const report: Record<string, unknown> = {};
      const index = async (libraryDir: string, images: string): Promise<number> =>
        cli.withEngine({ ...options, library: libraryDir, models: options.models ?? path.join(sharedDir(), 'models') }, async (engine) => {
          const started = performance.now();
          await engine.index([images]);
          return (performance.now() - started) / 1000;
        });
      for (const set of sets) {
        const source = set.replace(/^hard-/, '') as SourceSet;
        if (!(source in SETS)) throw new Error(`Unknown set "${set}" (celebs, lfw, hard-celebs, hard-lfw).`);
        const folder = path.join(sharedDir(), 'photos', SETS[source]);
        let images = source === 'lfw' ? path.join(folder, 'images') : folder;
        let labels = readLabels(folder, images);
        if (set !== source) {
          await index(path.join(options.work, source), images);
          const sourceLibrary = Library.open(path.join(options.work, source));
          images = path.join(options.work, 'images', set);
          labels = await writeHardSet(sourceLibrary, labels, images).finally(() => sourceLibrary.close());
        }
        const libraryDir = path.join(options.work, set);
        const indexSeconds = await index(libraryDir, images);
        const library = Library.open(libraryDir);
        try {
          const modelId = library.db.prepare('SELECT model_id FROM faces LIMIT 1').pluck().get() as string;
          const clustering = runIncrementalClustering(library, { full: true });
          const quality = scorePeople(library, labels, modelId);
          const calibration = withCopy(library, (copy) => calibrationAfterNaming(copy, labels, modelId));
          const labelled = centredFaces(library, labels);
          const review = {
            learning: withCopy(library, (copy) => reviewFlow(copy, labelled, 3)),
            noLearning: withCopy(library, (copy) => reviewFlow(copy, labelled, 3, { learning: false })),
          };
          report[set] = {
            ...quality,
            calibration,
            review,
            indexSeconds,
            clusterSeconds: clustering.seconds,
            distanceModel: clustering.distanceModel,
            measuredPriors: labelledPairDistributions(library, labels, modelId),
          };
        } finally {
          library.close();
        }
      }
      if (options.faces > 0) report.speed = benchClusteringSpeed(options.faces);
      cli.print({ ...options, json: true }, report);
    });
}

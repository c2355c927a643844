import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { Library } from '../../src/engine/library/library';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { calibrationAfterNaming, type LabelledPhoto, labelledPairDistributions, scorePeople } from '../people/quality-bench';
import { benchClusteringSpeed } from '../people/speed-bench';
import { type CliContext, type CommonOptions, withCommonOptions } from '../../src/cli/context';
import { positiveInt } from '../../src/cli/commands/cli-numbers';
import { sharedDir } from './shared-dir';

const SETS = { celebs: 'faces-celebs', lfw: 'faces-lfw-dev' } as const;
type SetName = keyof typeof SETS;

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
 * BCubed F1, then the calibration check on a copy; then the synthetic speed run at --faces.
 */
export function registerBenchPeople(bench: Command, cli: CliContext): void {
  withCommonOptions(bench.command('people').description("people: BCubed F1 vs Immich's algorithm on ../shared, calibration (ECE vs (cos+1)/2), and speed at --faces"))
    .option('--faces <n>', 'synthetic faces for the speed run (0 skips it)', (v) => (v === '0' ? 0 : positiveInt('--faces', 2_000_000)(v)), 100_000)
    .option('--sets <names>', 'labelled sets: celebs,lfw (none skips them)', 'celebs,lfw')
    .option('--work <dir>', 'where the indexed benchmark libraries are kept', path.join(os.tmpdir(), 'facet-bench-people'))
    .action(async (options: CommonOptions & { faces: number; sets: string; work: string }) => {
      const sets = options.sets === 'none' ? [] : options.sets.split(',').map((s) => s.trim() as SetName);
      const report: Record<string, unknown> = {};
      for (const set of sets) {
        if (!(set in SETS)) throw new Error(`Unknown set "${set}" (celebs, lfw).`);
        const folder = path.join(sharedDir(), 'photos', SETS[set]);
        const images = set === 'lfw' ? path.join(folder, 'images') : folder;
        const libraryDir = path.join(options.work, set);
        const indexSeconds = await cli.withEngine({ ...options, library: libraryDir, models: options.models ?? path.join(sharedDir(), 'models') }, async (engine) => {
          const started = performance.now();
          await engine.index([images]);
          return (performance.now() - started) / 1000;
        });
        const library = Library.open(libraryDir);
        try {
          const modelId = library.db.prepare('SELECT model_id FROM faces LIMIT 1').pluck().get() as string;
          const clustering = runIncrementalClustering(library, { full: true });
          const labels = readLabels(folder, images);
          const quality = scorePeople(library, labels, modelId);
          const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-calibration-'));
          library.db.exec(`VACUUM INTO '${path.join(copyDir, 'facet.db').replaceAll("'", "''")}'`);
          const copy = Library.open(copyDir);
          const calibration = calibrationAfterNaming(copy, labels, modelId);
          copy.close();
          fs.rmSync(copyDir, { recursive: true, force: true });
          report[set] = {
            ...quality,
            calibration,
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

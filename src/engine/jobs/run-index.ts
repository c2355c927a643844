import type { EngineContext } from '../context';
import { runIncrementalClustering } from '../people/incremental-clustering';
import { geocodePendingPhotos } from '../places/geocode-photos';
import { buildAnalyzers } from './analyzer-set';
import type { IndexRunResult } from '../indexing/index-folders';
import type { StageTimes } from '../indexing/stage-times';
import type { IndexJob } from '../indexing/index-controller';
import type { PhotoAnalyzer } from '../analyzers/analyzer';
import type { IndexProgress } from '../../common/api/library';

/**
 * An index run as every front end starts it: all analyzers the installed models allow, then people
 * are updated (incrementally: only new faces are clustered) and new GPS is turned into places, then
 * the app is told. Text in photos is not read here: the `backfill-text` job does it after the run.
 */
/** What a benchmark may ask of an index run: its stage times, and each progress step (when photos are done). */
export interface BenchIndexOptions {
  stageTimes?: StageTimes;
  onProgress?: (progress: IndexProgress) => void;
}

export async function runIndex(ctx: EngineContext, folders: string[], options: BenchIndexOptions = {}): Promise<IndexRunResult> {
  try {
    return await ctx.indexer.run(() => prepareIndexRun(ctx, folders, options));
  } finally {
    ctx.emit('library.changed', { reason: 'indexed' });
  }
}

/**
 * What one index run does, for `runIndex` and the index job alike: the analyzers the installed models
 * allow (plus the caller's, e.g. the job's bookkeeping), people and places after.
 */
export async function prepareIndexRun(
  ctx: EngineContext,
  folders: string[],
  options: BenchIndexOptions & { extraAnalyzers?: PhotoAnalyzer[] } = {},
): Promise<IndexJob> {
  const { analyzers, faceModelId } = await buildAnalyzers(ctx);
  return {
    folders,
    analyzers: [...analyzers, ...(options.extraAnalyzers ?? [])],
    faceModelId,
    afterRun: () => updatePeople(ctx),
    ...(options.stageTimes ? { stageTimes: options.stageTimes } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}

function updatePeople(ctx: EngineContext): void {
  runIncrementalClustering(ctx.library);
  geocodePendingPhotos(ctx.library); // places of the photos this run read GPS from
}

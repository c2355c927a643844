import type { EngineContext } from '../context';
import { runIncrementalClustering } from '../people/incremental-clustering';
import { geocodePendingPhotos } from '../places/geocode-photos';
import { buildAnalyzers } from './analyzer-set';
import type { IndexRunResult } from '../indexing/index-folders';
import type { StageTimes } from '../indexing/stage-times';

/**
 * An index run as every front end starts it: all analyzers the installed models allow, then people
 * are updated (incrementally: only new faces are clustered) and new GPS is turned into places, then
 * the app is told.
 */
export async function runIndex(ctx: EngineContext, folders: string[], options: { stageTimes?: StageTimes } = {}): Promise<IndexRunResult> {
  try {
    return await ctx.indexer.run(async () => ({ folders, ...(await buildAnalyzers(ctx)), afterRun: () => updatePeople(ctx), stageTimes: options.stageTimes }));
  } finally {
    ctx.emit('library.changed', { reason: 'indexed' });
  }
}

function updatePeople(ctx: EngineContext): void {
  runIncrementalClustering(ctx.library);
  geocodePendingPhotos(ctx.library); // places of the photos this run read GPS from
}

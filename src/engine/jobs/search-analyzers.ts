import type { EngineContext } from '../context';
import type { PhotoAnalyzer } from '../analyzers/analyzer';
import { createClipAnalyzer } from '../analyzers/clip-stage';
import { searchModelId } from '../search/clip-loader';

/**
 * The search stage's analyzers for an index run (for the spine's buildAnalyzers; the perceptual hash
 * is already the spine's own hash-stage): CLIP when a CLIP model is installed. A missing CLIP model is
 * not an error here: indexing goes on, and a later backfill embeds the photos.
 */
export async function buildSearchAnalyzers(ctx: EngineContext): Promise<{ analyzers: PhotoAnalyzer[]; clipModelId: string | null }> {
  if (ctx.models.installedFor('clip').length === 0) return { analyzers: [], clipModelId: null };
  const modelId = searchModelId(ctx.library, ctx.models);
  const clip = await ctx.clip.load(modelId);
  return { analyzers: [createClipAnalyzer(ctx.library, clip, modelId)], clipModelId: modelId };
}

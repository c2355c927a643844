import { isFacetError } from '../../common/errors';
import type { EngineContext } from '../context';
import type { FaceModels } from '../ml/face-models';
import { buildSearchAnalyzers } from './search-analyzers';
import type { PhotoAnalyzer } from '../analyzers/analyzer';
import { createFaceAnalyzer } from '../analyzers/face-stage';
import { createPerceptualHashAnalyzer } from '../analyzers/hash-stage';
import { createTextCheckImageAnalyzer, createTextResetAnalyzer } from '../analyzers/text-stage';
import { removeTextCheckImages } from '../imaging/text-check-image';
import { textModelInUse } from './text-setting';

export interface AnalyzerSet {
  analyzers: PhotoAnalyzer[];
  /** null: no face model is installed; the photos get faces from a backfill job when one is. */
  faceModelId: string | null;
  /** What the run goes without, in words, for the user ("faces: no face model installed"). */
  skipped: string[];
}

/**
 * The analyses every indexed photo gets from its one decode. Indexing never waits for a model: without
 * face or CLIP models, photos still get thumbnails, dates, places and hashes, and faces and CLIP vectors
 * arrive later as backfill jobs. A damaged face model still stops the run at once (the user must repair
 * it, not wait). Text in photos is not here on purpose: its check cost several times the face pass per
 * photo, so it is the `backfill-text` job queued after every index run (jobs/follow-ups.ts), and photos
 * and people arrive at the face-only rate; the chain only forgets the old text of a changed photo and,
 * with text reading on, keeps its decode as the text job's check image. With it off the run writes
 * none and removes those of earlier runs (their photos may change before reading is turned on again).
 */
export async function buildAnalyzers(ctx: EngineContext): Promise<AnalyzerSet> {
  const [faces, search] = await Promise.all([optionalFaceModels(ctx), buildSearchAnalyzers(ctx)]);
  const thumbnails = ctx.library.paths.thumbnails;
  const analyzers = [createPerceptualHashAnalyzer(), ...search.analyzers, createTextResetAnalyzer()];
  // As enqueueBackfills decides whether a text job follows: an image nobody would check is not written.
  if (textModelInUse(ctx) !== null) analyzers.push(createTextCheckImageAnalyzer(thumbnails));
  else await removeTextCheckImages(thumbnails);
  if (faces) analyzers.unshift(createFaceAnalyzer(faces, thumbnails));
  return {
    analyzers,
    faceModelId: faces?.embedderId ?? null,
    skipped: faces ? [] : ['faces: no face model is installed (get them with: facet models download --defaults)'],
  };
}

async function optionalFaceModels(ctx: EngineContext): Promise<FaceModels | null> {
  try {
    return await ctx.faceModels();
  } catch (error) {
    if (isFacetError(error) && error.code === 'model_missing') return null;
    throw error;
  }
}

import { isFacetError } from '../../common/errors';
import type { EngineContext } from '../context';
import type { OcrModels } from '../ml/ocr-models';
import type { FaceModels } from '../ml/face-models';
import { buildSearchAnalyzers } from './search-analyzers';
import type { PhotoAnalyzer } from '../analyzers/analyzer';
import { createFaceAnalyzer } from '../analyzers/face-stage';
import { createPerceptualHashAnalyzer } from '../analyzers/hash-stage';
import { createTextScanAnalyzer } from '../analyzers/text-stage';

export interface AnalyzerSet {
  analyzers: PhotoAnalyzer[];
  /** null: no face model is installed; the photos get faces from a backfill job when one is. */
  faceModelId: string | null;
  /** The text models when they loaded (they are embedded, so normally always); null skips text in photos. */
  ocr: OcrModels | null;
  /** What the run goes without, in words, for the user ("faces: no face model installed"). */
  skipped: string[];
}

/**
 * The analyses every indexed photo gets from its one decode. Indexing never waits for a model: without
 * face or CLIP models, photos still get thumbnails, dates, places, hashes and text, and faces and CLIP
 * vectors arrive later as backfill jobs. A damaged face model still stops the run at once (the user must
 * repair it, not wait); the text check joins when the embedded text models load (a broken copy costs
 * text search, never the index run: the reason is logged).
 */
export async function buildAnalyzers(ctx: EngineContext): Promise<AnalyzerSet> {
  const [faces, search, ocr] = await Promise.all([optionalFaceModels(ctx), buildSearchAnalyzers(ctx), loadOcrOrWarn(ctx)]);
  const analyzers = [createPerceptualHashAnalyzer(), ...search.analyzers, ...(ocr ? [createTextScanAnalyzer(ocr)] : [])];
  if (faces) analyzers.unshift(createFaceAnalyzer(faces));
  return {
    analyzers,
    faceModelId: faces?.embedderId ?? null,
    ocr,
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

async function loadOcrOrWarn(ctx: EngineContext): Promise<OcrModels | null> {
  try {
    return await ctx.ocrModels();
  } catch (error) {
    console.warn(`[facet] text in photos is off: ${(error as Error).message}`);
    return null;
  }
}

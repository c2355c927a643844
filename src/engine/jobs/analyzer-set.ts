import type { EngineContext } from '../context';
import type { OcrModels } from '../ml/ocr-models';
import { buildSearchAnalyzers } from './search-analyzers';
import type { PhotoAnalyzer } from '../analyzers/analyzer';
import { createFaceAnalyzer } from '../analyzers/face-stage';
import { createPerceptualHashAnalyzer } from '../analyzers/hash-stage';
import { createTextScanAnalyzer } from '../analyzers/text-stage';

export interface AnalyzerSet {
  analyzers: PhotoAnalyzer[];
  faceModelId: string | null;
  /** The text models when they loaded (they are embedded, so normally always); null skips text in photos. */
  ocr: OcrModels | null;
}

/**
 * The analyses every indexed photo gets from its one decode. Faces are always on (the face models are
 * the app's core and are verified before the run starts, so a missing model fails fast, not per photo);
 * CLIP joins when a CLIP model is installed; the text check when the embedded text models load (a
 * broken copy costs text search, never the index run: the reason is logged).
 */
export async function buildAnalyzers(ctx: EngineContext): Promise<AnalyzerSet> {
  const [faces, search, ocr] = await Promise.all([ctx.faceModels(), buildSearchAnalyzers(ctx), loadOcrOrWarn(ctx)]);
  return {
    analyzers: [createFaceAnalyzer(faces), createPerceptualHashAnalyzer(), ...search.analyzers, ...(ocr ? [createTextScanAnalyzer(ocr)] : [])],
    faceModelId: faces.embedderId,
    ocr,
  };
}

async function loadOcrOrWarn(ctx: EngineContext): Promise<OcrModels | null> {
  try {
    return await ctx.ocrModels();
  } catch (error) {
    console.warn(`[facet] text in photos is off: ${(error as Error).message}`);
    return null;
  }
}

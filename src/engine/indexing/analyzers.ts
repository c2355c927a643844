import type { EngineContext } from '../context';
import { buildSearchAnalyzers } from '../search/search-analyzers';
import type { PhotoAnalyzer } from './analyzer';
import { createFaceAnalyzer } from './face-stage';
import { createPerceptualHashAnalyzer } from './hash-stage';

export interface AnalyzerSet {
  analyzers: PhotoAnalyzer[];
  faceModelId: string | null;
}

/**
 * The analyses every indexed photo gets from its one decode. Faces are always on (the face models are
 * the app's core and are verified before the run starts, so a missing model fails fast, not per photo);
 * CLIP joins when a CLIP model is installed.
 */
export async function buildAnalyzers(ctx: EngineContext): Promise<AnalyzerSet> {
  const [faces, search] = await Promise.all([ctx.faceModels(), buildSearchAnalyzers(ctx)]);
  return { analyzers: [createFaceAnalyzer(faces), createPerceptualHashAnalyzer(), ...search.analyzers], faceModelId: faces.embedderId };
}

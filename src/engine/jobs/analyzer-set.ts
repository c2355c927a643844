import type { EngineContext } from '../context';
import { buildSearchAnalyzers } from './search-analyzers';
import type { PhotoAnalyzer } from '../analyzers/analyzer';
import { createFaceAnalyzer } from '../analyzers/face-stage';
import { createPerceptualHashAnalyzer } from '../analyzers/hash-stage';

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

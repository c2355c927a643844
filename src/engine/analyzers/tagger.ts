import { dot } from '../ml/vector-math';
import type { ClipModel } from '../ml/clip/clip-model';
import { type Concept, MAX_TAGS_PER_PHOTO } from './vocabulary';

export interface PhotoTag {
  tag: string;
  /** Cosine similarity between the photo and the concept's prompt. */
  score: number;
  /** z-score of that similarity among all concepts for this photo. */
  confidence: number;
}

export interface TagResult {
  tags: PhotoTag[];
  /** Mean and standard deviation of the photo's similarity to the vocabulary (for later concepts). */
  mean: number;
  std: number;
}

/**
 * Zero-shot tagging with thresholds calibrated relative to the vocabulary. Raw CLIP cosines are not
 * comparable across photos (a busy photo is "a bit similar" to everything) nor across prompts, so a
 * fixed cosine cut either floods or starves. Instead each photo's similarities are standardised over
 * the whole vocabulary (z = (s − mean) / std): a tag is kept when it stands out from the other few
 * hundred concepts by its own threshold (`minConfidence`, stricter for concepts prone to false hits
 * such as "document"), at most MAX_TAGS_PER_PHOTO per photo. This is the softmax-over-concepts idea of
 * CLIP's zero-shot classifier without forcing one winner, so a photo can be both "beach" and "dog".
 *
 * A concept the user saved from a search is the exception: it keeps the search's own rule (cosine ≥ the
 * model's `defaultMinScore`, no per-photo cap), so the tag holds the photos the search showed.
 */
export class ConceptTagger {
  private constructor(
    readonly concepts: readonly Concept[],
    private readonly embeddings: readonly Float32Array[],
    private readonly searchMinScore: number,
  ) {}

  static async create(clip: ClipModel, concepts: readonly Concept[]): Promise<ConceptTagger> {
    const embeddings: Float32Array[] = [];
    const BATCH = 64; // one session run per batch keeps the text encoder's memory bounded
    for (let i = 0; i < concepts.length; i += BATCH)
      embeddings.push(...(await clip.embedTexts(concepts.slice(i, i + BATCH).map((c) => c.prompt))));
    return new ConceptTagger(concepts, embeddings, clip.config.defaultMinScore);
  }

  tag(image: Float32Array): TagResult {
    const scores = this.embeddings.map((text) => dot(image, text));
    const { mean, std } = meanAndStd(scores);
    const scored = this.concepts.map((concept, i) => ({ concept, score: scores[i]!, confidence: std > 0 ? (scores[i]! - mean) / std : 0 }));
    const byConfidence = (a: { confidence: number }, b: { confidence: number }) => b.confidence - a.confidence;
    const vocabulary = scored
      .filter((t) => t.concept.source !== 'user' && t.confidence >= t.concept.minConfidence)
      .sort(byConfidence)
      .slice(0, MAX_TAGS_PER_PHOTO);
    const saved = scored.filter((t) => t.concept.source === 'user' && t.score >= this.searchMinScore);
    const tags = [...vocabulary, ...saved]
      .sort(byConfidence)
      .map((t) => ({ tag: t.concept.name, score: t.score, confidence: t.confidence }));
    return { tags, mean, std };
  }
}

export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

import type { SavedConcept, TagSummary } from '../../common/api/search';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import { conceptStats, removeSavedConcept, saveConceptWithTags, savedConceptName, savedConceptRows, tagCounts } from '../library/tag-store';
import type { ClipModel } from '../ml/clip/clip-model';
import { dot } from '../ml/vector-math';
import { allImageVectors, findImageVectorTable } from '../library/image-vectors';
import { applyPromptTemplate } from '../ml/clip/clip-config';
import { DEFAULT_MIN_CONFIDENCE, builtinConcepts } from '../analyzers/vocabulary';

/** Every tag in use for the model, with its photo count, plus saved concepts (even with no photo yet). */
export function listTags(library: Library, modelId: string): TagSummary[] {
  const db = library.db;
  const counts = tagCounts(db, modelId);
  const saved = new Set(savedConceptRows(db).map((r) => r.name.toLowerCase()));
  const listed = new Set(counts.map((c) => c.tag.toLowerCase()));
  return [
    ...counts.map((c) => ({ tag: c.tag, photos: c.photos, source: saved.has(c.tag.toLowerCase()) ? ('user' as const) : ('builtin' as const) })),
    ...[...saved].filter((name) => !listed.has(name)).map((name) => ({ tag: savedName(library, name), photos: 0, source: 'user' as const })),
  ];
}

function savedName(library: Library, lowerName: string): string {
  return savedConceptName(library.db, lowerName)!;
}

/**
 * Saves the user's concept and tags the photos already embedded by this model. The photo's stored
 * similarity statistics over the vocabulary (photo_concept_stats) put the new concept on the same
 * z-score scale as the built-in tags, so no other concept needs re-scoring. New photos pick it up at
 * index time (it joins the vocabulary).
 */
export async function addConcept(library: Library, clip: ClipModel, name: string, prompt?: string): Promise<SavedConcept> {
  const db = library.db;
  const cleanName = name.trim();
  if (!cleanName) throw new FacetError('invalid_argument', 'A concept needs a name.');
  const text = prompt?.trim() || applyPromptTemplate(clip.config.promptTemplate, cleanName);
  const embedding = await clip.embedText(text);
  const table = findImageVectorTable(db, clip.modelId);
  const stats = new Map(conceptStats(db, clip.modelId).map((s) => [s.photoId, s]));
  const tagged: { photoId: number; score: number; confidence: number }[] = [];
  for (const { photoId, vector } of table ? allImageVectors(db, table) : []) {
    const stat = stats.get(photoId);
    if (!stat || stat.std <= 0) continue;
    const score = dot(vector, embedding);
    const confidence = (score - stat.mean) / stat.std;
    if (confidence >= DEFAULT_MIN_CONFIDENCE) tagged.push({ photoId, score, confidence });
  }
  saveConceptWithTags(db, cleanName, text, clip.modelId, tagged);
  return { name: cleanName, prompt: text, photos: tagged.length };
}

/** Forgets a saved concept and its tags; a built-in concept of the same name comes back at the next index. */
export function removeConcept(library: Library, name: string): { removed: boolean } {
  const isBuiltin = builtinConcepts().some((c) => c.name.toLowerCase() === name.trim().toLowerCase());
  return { removed: removeSavedConcept(library.db, name.trim(), isBuiltin) };
}

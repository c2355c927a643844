import type { TagSummary } from '../../common/api/search';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import {
  clearConceptTags,
  conceptPhotoCount,
  conceptStats,
  insertConceptTag,
  removeSavedConcept,
  saveConcept,
  savedConceptName,
  savedConceptRows,
  tagCounts,
} from '../library/tag-store';
import type { Db } from '../library/database';
import type { ClipModel } from '../ml/clip/clip-model';
import { dot } from '../ml/vector-math';
import { allImageVectors, findImageVectorTable } from '../library/image-vectors';
import { builtinConcepts } from '../analyzers/vocabulary';
import { promptFor } from './text-search';

/** Every tag in use for the model, with its photo count, plus saved concepts (even with no photo yet). */
export function listTags(library: Library, modelId: string): TagSummary[] {
  const db = library.db;
  const counts = tagCounts(db, modelId);
  const saved = new Set(savedConceptRows(db).map((r) => r.name.toLowerCase()));
  const listed = new Set(counts.map((c) => c.tag.toLowerCase()));
  return [
    ...counts.map((c) => ({
      tag: c.tag,
      photos: c.photos,
      source: saved.has(c.tag.toLowerCase()) ? ('user' as const) : ('builtin' as const),
    })),
    ...[...saved]
      .filter((name) => !listed.has(name))
      .map((name) => ({ tag: savedName(library, name), photos: 0, source: 'user' as const })),
  ];
}

function savedName(library: Library, lowerName: string): string {
  return savedConceptName(library.db, lowerName)!;
}

/**
 * Saves the user's concept (it shows among the tags at once, and new photos pick it up at index time:
 * it joins the vocabulary). Tagging the photos already embedded is the tag-concept job's work. Without
 * a prompt of its own, the concept's prompt is the one the search builds from the same words, so
 * "Save as tag" keeps what the search showed.
 */
export function saveUserConcept(library: Library, clip: ClipModel, name: string, prompt?: string): { name: string; prompt: string } {
  const cleanName = name.trim();
  if (!cleanName) throw new FacetError('invalid_argument', 'A concept needs a name.');
  const text = prompt?.trim() || promptFor(clip, cleanName);
  saveConcept(library.db, cleanName, text);
  return { name: cleanName, prompt: text };
}

/** Photos scored per write transaction: each records its job_photos row in the same transaction. */
const TAG_BATCH = 256;

export interface TagConceptOptions {
  /** Photos already scored by an earlier run of the same job. */
  skip: ReadonlySet<number>;
  onTotal(total: number): void;
  /** Inside the photo's write transaction. */
  onPhotoScored(db: Db, photoId: number): void;
  /** Between batches: throws to stop (pause, cancel, quit). */
  checkpoint(): void;
  /** Photos per transaction (default TAG_BATCH; a test interrupts between small ones). */
  batchSize?: number;
}

/**
 * Tags the photos this model embedded with a saved concept, by the search's rule: cosine similarity to
 * the prompt ≥ the model's `defaultMinScore`, the cutoff `facet search` applies, so a tag saved from 54
 * results holds those 54 photos (the vocabulary's z-score rule kept 12 of them). The stored statistics
 * over the vocabulary (photo_concept_stats) still give each tag its z-score as `confidence`, for
 * ordering. A fresh run first drops the concept's old tags (its prompt may have changed); a resumed one
 * keeps what it already wrote and skips those photos.
 */
export async function tagPhotosWithConcept(
  library: Library,
  clip: ClipModel,
  name: string,
  prompt: string,
  options: TagConceptOptions,
): Promise<void> {
  const db = library.db;
  const embedding = await clip.embedText(prompt);
  const table = findImageVectorTable(db, clip.modelId);
  const stats = new Map(conceptStats(db, clip.modelId).map((s) => [s.photoId, s]));
  const vectors = table ? [...allImageVectors(db, table)] : [];
  options.onTotal(vectors.length);
  if (options.skip.size === 0) clearConceptTags(db, name, clip.modelId);
  const todo = vectors.filter((v) => !options.skip.has(v.photoId));
  const batch = options.batchSize ?? TAG_BATCH;
  for (let i = 0; i < todo.length; i += batch) {
    options.checkpoint();
    db.transaction(() => {
      for (const { photoId, vector } of todo.slice(i, i + batch)) {
        const score = dot(vector, embedding);
        if (score >= clip.config.defaultMinScore) {
          const stat = stats.get(photoId);
          const confidence = stat && stat.std > 0 ? (score - stat.mean) / stat.std : 0;
          insertConceptTag(db, name, clip.modelId, { photoId, score, confidence });
        }
        options.onPhotoScored(db, photoId);
      }
    }).immediate();
  }
}

/** How many photos carry the concept for this model (after its job). */
export function conceptPhotos(library: Library, name: string, modelId: string): number {
  return conceptPhotoCount(library.db, name, modelId);
}

/** Forgets a saved concept and its tags; a built-in concept of the same name comes back at the next index. */
export function removeConcept(library: Library, name: string): { removed: boolean } {
  const isBuiltin = builtinConcepts().some((c) => c.name.toLowerCase() === name.trim().toLowerCase());
  return { removed: removeSavedConcept(library.db, name.trim(), isBuiltin) };
}

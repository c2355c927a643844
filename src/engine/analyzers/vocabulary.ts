import { z } from 'zod';
import type { Db } from '../library/database';
import { savedConceptRows } from '../library/tag-store';
import vocabularyFile from './concepts.json';

/**
 * The concepts every photo is scored against: the built-in everyday vocabulary (concepts.json) plus
 * the user's saved concepts. `minConfidence` is the per-tag threshold on the z-score (see tagger.ts).
 */
export interface Concept {
  name: string;
  /** The text given to the CLIP text encoder. */
  prompt: string;
  minConfidence: number;
  source: 'builtin' | 'user';
}

const vocabularySchema = z.object({
  promptTemplate: z.string().includes('{}'),
  defaultMinConfidence: z.number().positive(),
  maxTagsPerPhoto: z.number().int().positive(),
  concepts: z
    .array(z.object({ name: z.string().min(1), prompt: z.string().optional(), minConfidence: z.number().positive().optional() }))
    .min(1),
});

const VOCABULARY = vocabularySchema.parse(vocabularyFile);

export const MAX_TAGS_PER_PHOTO = VOCABULARY.maxTagsPerPhoto;
export const DEFAULT_MIN_CONFIDENCE = VOCABULARY.defaultMinConfidence;

export function builtinConcepts(): Concept[] {
  return VOCABULARY.concepts.map((c) => ({
    name: c.name,
    prompt: c.prompt ?? VOCABULARY.promptTemplate.replace('{}', c.name),
    minConfidence: c.minConfidence ?? VOCABULARY.defaultMinConfidence,
    source: 'builtin',
  }));
}

export function savedConcepts(db: Db): Concept[] {
  return savedConceptRows(db).map((r) => ({
    name: r.name,
    prompt: r.prompt,
    minConfidence: VOCABULARY.defaultMinConfidence,
    source: 'user',
  }));
}

/** Built-in plus saved; a saved concept with a built-in's name replaces it (the user's prompt wins). */
export function allConcepts(db: Db): Concept[] {
  const saved = savedConcepts(db);
  const savedNames = new Set(saved.map((c) => c.name.toLowerCase()));
  return [...builtinConcepts().filter((c) => !savedNames.has(c.name.toLowerCase())), ...saved];
}

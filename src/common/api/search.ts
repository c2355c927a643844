import { z } from 'zod';
import { channel } from './channel';
import { isoDate, personName, photoId } from './ids';
import type { ParsedQuery } from './search-query';

/**
 * A free-text search with exact filters. `text` is read into people, dates, places, quoted text and a
 * visual remainder (src/engine/search/query); the flags combine with what it reads.
 */
export const searchQuerySchema = z
  .object({
    text: z.string().max(20_000).default(''),
    /** Photos showing ALL these people (by name). */
    people: z.array(personName).max(20).default([]),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** Only photos under this folder (absolute path; subfolders included). */
    folder: z.string().min(1).max(4096).optional(),
    /** Only photos carrying this zero-shot tag or saved concept. */
    tag: z.string().trim().min(1).max(200).optional(),
    limit: z.number().int().min(1).max(1000).default(50),
    /** Relevance cutoff (cosine); absent: the model's default. Lower it to widen the search. */
    minScore: z.number().min(-1).max(1).optional(),
    sort: z.enum(['relevance', 'date']).default('relevance'),
    /** Read relative dates ("last summer", "작년") as if today were this day (tests, reproducible scripts). */
    today: isoDate.optional(),
    /**
     * Text written in the photo (signs, labels, documents): every entry must be found, case-insensitively,
     * with OCR slips tolerated. Alone (no `text`), it needs no CLIP model.
     */
    photoText: z.array(z.string().trim().min(1).max(200)).max(10).default([]),
  })
  .strict();
export type SearchQuery = z.input<typeof searchQuerySchema>;
export type ParsedSearchQuery = z.output<typeof searchQuerySchema>;

export interface SearchHit {
  photoId: number;
  /** Absolute path. */
  photo: string;
  score: number;
  takenAt: string | null;
}

export interface TagSummary {
  tag: string;
  photos: number;
  source: 'builtin' | 'user';
}

export interface DuplicateMember {
  photoId: number;
  photo: string;
  width: number | null;
  height: number | null;
  size: number;
  sharpness: number | null;
  /**
   * How this photo matches the group's keeper (every member matches the keeper itself): the same
   * file (same bytes), the same picture resized or re-encoded (whole-frame hash), a crop of it or it of
   * this (whole frame against the inner region), or a similar scene (a looser hash match confirmed by
   * the CLIP embeddings).
   */
  match: DuplicateMatch;
  /** Bits between this photo's perceptual hash and the keeper's (null for the keeper). */
  hashDistance: number | null;
  /** CLIP cosine similarity with the keeper, when the embeddings confirmed the match. */
  similarity: number | null;
}

export type DuplicateMatch = 'keeper' | 'same-file' | 'resized' | 'cropped' | 'similar-scene';

export interface DuplicateGroup {
  kind: 'exact' | 'near';
  /** The suggested photo to keep (largest, then sharpest). Nothing is ever deleted automatically. */
  keeper: number;
  photos: DuplicateMember[];
}

export interface SavedConcept {
  name: string;
  prompt: string;
  /** Photos tagged with it so far: all of them unless `pending`. */
  photos: number;
  /** The tag-concept job tagging the photos already embedded. */
  jobId: number;
  /** True in the app: the worker tags them in the background (library.changed 'tags' when done). */
  pending: boolean;
}

export const searchChannels = {
  'search.query': channel<SearchHit[]>('worker')(searchQuerySchema),
  /** How the query text reads (people, dates, places, quoted text, visual remainder), for chips and --explain. */
  'search.interpret': channel<ParsedQuery>('worker')(z.object({ text: z.string().max(20_000), today: isoDate.optional() }).strict()),
  'search.similar': channel<SearchHit[]>('worker')(
    z.object({ photoId, limit: z.number().int().min(1).max(1000).default(50), minScore: z.number().min(-1).max(1).optional() }).strict(),
  ),
  'search.tags': channel<TagSummary[]>('main')(z.object({}).strict()),
  'search.duplicates': channel<DuplicateGroup[]>('worker')(z.object({ useEmbeddings: z.boolean().default(true) }).strict()),
  'search.addConcept': channel<SavedConcept>('worker')(
    z.object({ name: z.string().trim().min(1).max(200), prompt: z.string().trim().min(1).max(1000).optional() }).strict(),
  ),
  'search.removeConcept': channel<{ removed: boolean }>('worker')(z.object({ name: z.string().trim().min(1).max(200) }).strict()),
} as const;

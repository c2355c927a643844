import type { SearchHit } from '../../common/api/search';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import { findImageVectorTable, nearestImages, otherIndexedPhotos, readImageVector } from '../library/image-vectors';
import { toSearchHits } from './text-search';
import { PhotoStore } from '../library/photo-store';

export interface SimilarOptions {
  limit?: number;
  minScore?: number;
}

/** Image → image search over one model's CLIP vectors: the photo's nearest neighbours, itself excluded. */
export function similarPhotos(library: Library, modelId: string, photoId: number, options: SimilarOptions = {}): SearchHit[] {
  const db = library.db;
  const limit = options.limit ?? 50;
  if (!new PhotoStore(db).exists(photoId)) throw new FacetError('not_found', `No photo with id ${photoId}.`);
  const table = findImageVectorTable(db, modelId);
  const vector = table ? readImageVector(db, table, photoId) : undefined;
  if (!table || !vector) {
    throw new FacetError(
      'not_found',
      `Photo ${photoId} has no ${modelId} embedding yet. Index it with a CLIP model installed (facet index), then try again.`,
    );
  }
  const hits = nearestImages(db, table, vector, limit, otherIndexedPhotos(photoId));
  return toSearchHits(
    db,
    hits.filter((h) => h.score >= (options.minScore ?? -1)),
  );
}

/** `facet similar <photo|id>`: a numeric id, or a path the library knows. */
export function resolvePhotoRef(library: Library, ref: string, resolvePath: (p: string) => string): number {
  if (/^\d+$/.test(ref)) {
    if (Number(ref) < 1 || !Number.isSafeInteger(Number(ref)))
      throw new FacetError('invalid_argument', `Photo ids are whole numbers from 1 (got ${ref}); give a photo id or a path.`);
    return Number(ref);
  }
  const id = new PhotoStore(library.db).idByPath(resolvePath(ref));
  if (id === undefined)
    throw new FacetError('not_found', `The library does not know the photo ${ref}. Index its folder first: facet index <folder>`);
  return id;
}

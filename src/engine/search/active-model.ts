import type { Db } from '../library/database';
import { embeddedPhotoCount } from '../library/image-vectors';
import { listVectorTables } from '../library/vector-tables';

/**
 * The CLIP model whose image vectors search reads: of the models given (installed ones), the one that
 * has embedded the most photos; ties go to the first given (the default). While a newly installed
 * model is being backfilled, search therefore stays on the old model until the new one covers as much.
 */
export function activeImageModel(db: Db, candidates?: readonly string[]): string | undefined {
  const stored = listVectorTables(db, 'image').map((t) => t.modelId);
  const ids = candidates ?? stored;
  let best: { id: string; photos: number } | undefined;
  for (const id of ids) {
    const photos = embeddedPhotoCount(db, id);
    if (!best || photos > best.photos) best = { id, photos };
  }
  return best?.id;
}

import type { Db } from './database';

export interface PendingPhoto {
  id: number;
  path: string;
}

/** Indexed photos that were analysed while no face model was installed. */
export function photosLackingFaces(db: Db, limit = -1): PendingPhoto[] {
  return db
    .prepare(`SELECT id, path FROM photos WHERE status = 'indexed' AND face_model_id IS NULL ORDER BY id LIMIT ?`)
    .all(limit) as PendingPhoto[];
}

export function setFaceModel(db: Db, photoId: number, faceModelId: string): void {
  db.prepare('UPDATE photos SET face_model_id = ? WHERE id = ?').run(faceModelId, photoId);
}

/** How many indexed photos each CLIP model covers (for status and the search model's choice). */
export function clipCoverage(db: Db): { modelId: string; photos: number }[] {
  return db
    .prepare(
      `SELECT e.model_id AS modelId, count(*) AS photos FROM photo_embeddings e JOIN photos p ON p.id = e.photo_id AND p.status = 'indexed' GROUP BY e.model_id ORDER BY e.model_id`,
    )
    .all() as { modelId: string; photos: number }[];
}

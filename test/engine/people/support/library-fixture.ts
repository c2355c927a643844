import path from 'node:path';
import { replaceFaces } from '../../../../src/engine/library/face-store';
import { Library } from '../../../../src/engine/library/library';
import { registerIndexedPhoto } from '../../../../src/engine/library/photo-store';

export const FACE_MODEL_ID = 'mobilefacenet-128';

export interface FixtureFace {
  photo: string;
  embedding: ArrayLike<number>;
  quality: number;
  /** The resolution factor of its quality; absent, null (as for faces indexed before it was stored). */
  resolution?: number | null;
  takenAt?: string | null;
}

/**
 * A real library (SQLite + sqlite-vec) holding the given faces, written with the spine's own face
 * store, as `facet index` would leave it before people run. Returns face ids in input order.
 */
export function libraryWithFaces(
  dir: string,
  faces: readonly FixtureFace[],
  photoRoot = '/fixture',
): { library: Library; faceIds: number[]; photoIds: Map<string, number> } {
  const library = Library.open(dir);
  const { faceIds, photoIds } = addFaces(library, faces, photoRoot);
  return { library, faceIds, photoIds };
}

/** Adds photos and their faces (a later "index run"); faces are unclustered until people run. */
export function addFaces(
  library: Library,
  faces: readonly FixtureFace[],
  photoRoot = '/fixture',
): { faceIds: number[]; photoIds: Map<string, number> } {
  const db = library.db;
  const byPhoto = new Map<string, number[]>();
  faces.forEach((f, i) => byPhoto.set(f.photo, [...(byPhoto.get(f.photo) ?? []), i]));
  const faceIds: number[] = new Array(faces.length);
  const photoIds = new Map<string, number>();
  db.transaction(() => {
    for (const [photo, indices] of byPhoto) {
      const photoId = registerIndexedPhoto(
        db,
        { path: path.join(photoRoot, photo), takenAt: faces[indices[0]!]!.takenAt ?? null, width: 1000, height: 1000 },
        'redate',
      );
      photoIds.set(photo, photoId);
      const ids = replaceFaces(
        db,
        photoId,
        FACE_MODEL_ID,
        indices.map((i, slot) => ({
          box: [slot * 120, 10, 100, 100],
          score: 0.9,
          landmarks: [
            [30, 40],
            [70, 40],
            [50, 60],
            [35, 80],
            [65, 80],
          ],
          embedding: Float32Array.from(faces[i]!.embedding),
          quality: faces[i]!.quality,
          resolution: faces[i]!.resolution ?? null,
          blur: null,
          pose: null,
        })),
      );
      indices.forEach((i, slot) => (faceIds[i] = ids[slot]!));
    }
  })();
  return { faceIds, photoIds };
}

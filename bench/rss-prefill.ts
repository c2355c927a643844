import type { Box } from '../src/common/api/library';
import type { Library } from '../src/engine/library/library';
import { registerFaces } from '../src/engine/library/face-store';
import { PhotoStore, registerIndexedPhoto } from '../src/engine/library/photo-store';
import { ensureVectorTable } from '../src/engine/library/vector-tables';
import { syntheticFaceStream } from './people/synthetic-faces';
import { walkFolder } from '../src/engine/scan/walk';

/**
 * Registers photos as already indexed (exact size and mtime from the walk, so the run sees them as
 * unchanged) with `facesPerPhoto` unclustered faces each. Used by `facet bench rss --prefill` to reach a
 * 100k-photo library in minutes: the detector costs ~0.15 s per photo on 2 cores, so really indexing
 * 100k takes hours, while what grows with library size (scan, work list, rows, clustering) is the same.
 */
export async function prefillIndexed(
  library: Library,
  folder: string,
  count: number,
  faceModelId: string,
  facesPerPhoto: number,
  dimensions: number,
): Promise<number> {
  const files = (await walkFolder(folder)).files.sort((a, b) => a.path.localeCompare(b.path)).slice(0, count);
  const db = library.db;
  const folderId = new PhotoStore(db).ensureFolder(folder);
  ensureVectorTable(db, 'face', faceModelId, dimensions);
  // The people benchmark's synthetic faces: unit vectors with the spread of real identities, streamed
  // so that 100k of them are never held at once (that would inflate the peak being measured).
  const faces = syntheticFaceStream(files.length * facesPerPhoto, 3);
  db.transaction(() => {
    for (const [i, file] of files.entries()) {
      const photoId = registerIndexedPhoto(db, {
        folderId,
        path: file.path,
        size: file.size,
        mtimeMs: file.mtimeMs,
        contentHash: `prefill-${i}`,
        format: 'JPEG',
        width: 24,
        height: 24,
        faceModelId,
        indexedAt: new Date().toISOString(),
      });
      const photoFaces = Array.from({ length: facesPerPhoto }, () => ({
        box: [2, 2, 20, 20] as Box,
        score: 0.9,
        landmarks: [],
        quality: 0.8,
        embedding: faces.next().value!.embedding,
      }));
      registerFaces(db, photoId, faceModelId, photoFaces);
    }
  })();
  return files.length;
}

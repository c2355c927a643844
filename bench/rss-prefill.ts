import type { Library } from '../src/engine/library/library';
import { vectorBlob, vectorRowid } from '../src/engine/library/vector-codec';
import { ensureVectorTable } from '../src/engine/library/vector-tables';
import { syntheticFaceStream } from './people/synthetic-faces';
import { walkFolder } from '../src/engine/scan/walk';

/**
 * Registers photos as already indexed (exact size and mtime from the walk, so the run sees them as
 * unchanged) with `facesPerPhoto` unclustered faces each. Used by `facet bench rss --prefill` to reach a
 * 100k-photo library in minutes: the detector costs ~0.15 s per photo on 2 cores, so really indexing
 * 100k takes hours, while what grows with library size (scan, work list, rows, clustering) is the same.
 */
export async function prefillIndexed(library: Library, folder: string, count: number, faceModelId: string, facesPerPhoto: number, dimensions: number): Promise<number> {
  const files = (await walkFolder(folder)).files.sort((a, b) => a.path.localeCompare(b.path)).slice(0, count);
  const db = library.db;
  db.prepare('INSERT INTO folders (path) VALUES (?) ON CONFLICT(path) DO NOTHING').run(folder);
  const folderId = (db.prepare('SELECT id FROM folders WHERE path = ?').get(folder) as { id: number }).id;
  const table = ensureVectorTable(db, 'face', faceModelId, dimensions);
  const insertPhoto = db.prepare(`INSERT INTO photos (folder_id, path, size, mtime_ms, content_hash, status, format, width, height, face_model_id, indexed_at)
    VALUES (?, ?, ?, ?, ?, 'indexed', 'JPEG', 24, 24, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);
  const insertFace = db.prepare(`INSERT INTO faces (photo_id, model_id, box_x, box_y, box_w, box_h, score, landmarks, quality) VALUES (?, ?, 2, 2, 20, 20, 0.9, '[]', 0.8)`);
  const insertVector = db.prepare(`INSERT INTO ${table.tableName} (rowid, embedding) VALUES (?, ?)`);
  // The people benchmark's synthetic faces: unit vectors with the spread of real identities, streamed
  // so that 100k of them are never held at once (that would inflate the peak being measured).
  const faces = syntheticFaceStream(files.length * facesPerPhoto, 3);
  db.transaction(() => {
    for (const [i, file] of files.entries()) {
      const photoId = insertPhoto.run(folderId, file.path, file.size, file.mtimeMs, `prefill-${i}`, faceModelId).lastInsertRowid;
      for (let f = 0; f < facesPerPhoto; f++) {
        const faceId = insertFace.run(photoId, faceModelId).lastInsertRowid;
        insertVector.run(vectorRowid(faceId), vectorBlob(faces.next().value!.embedding));
      }
    }
  })();
  return files.length;
}

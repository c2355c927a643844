import type { Library } from '../library/library';
import { ensureVectorTable, vectorBlob, vectorRowid } from '../library/vector-tables';
import { walkFolder } from '../scan/walk';

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
  const vector = new Float32Array(dimensions);
  let seed = 1;
  db.transaction(() => {
    for (const [i, file] of files.entries()) {
      const photoId = insertPhoto.run(folderId, file.path, file.size, file.mtimeMs, `prefill-${i}`, faceModelId).lastInsertRowid;
      for (let f = 0; f < facesPerPhoto; f++) {
        const faceId = insertFace.run(photoId, faceModelId).lastInsertRowid;
        // ~1000 identities: faces of one identity are near each other, as real people's are.
        const identity = (i * facesPerPhoto + f) % 1000;
        for (let d = 0; d < dimensions; d++) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          vector[d] = Math.sin(identity * 13.7 + d) + ((seed / 0x7fffffff) - 0.5) * 0.3;
        }
        insertVector.run(vectorRowid(faceId), vectorBlob(vector));
      }
    }
  })();
  return files.length;
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sqliteVecPath } from '../../../src/engine/library/database';

/** A read-only look at a library's database from the test process (sqlite-vec loaded for vec0 tables). */
export function openForCheck(libraryDir: string): Database.Database {
  const db = new Database(path.join(libraryDir, 'facet.db'), { readonly: true, fileMustExist: true });
  db.loadExtension(sqliteVecPath());
  return db;
}

export function withDb<T>(libraryDir: string, read: (db: Database.Database) => T): T {
  const db = openForCheck(libraryDir);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function integrityCheck(libraryDir: string): string {
  return withDb(libraryDir, (db) =>
    (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; '),
  );
}

export interface PhotoCheckRow {
  path: string;
  status: string;
  error: string | null;
  faces: number;
}

export function photoRows(libraryDir: string): PhotoCheckRow[] {
  return withDb(
    libraryDir,
    (db) =>
      db
        .prepare(
          'SELECT p.path, p.status, p.error, (SELECT count(*) FROM faces f WHERE f.photo_id = p.id) AS faces FROM photos p ORDER BY p.path',
        )
        .all() as PhotoCheckRow[],
  );
}

/** Faces whose embedding row is missing, and embedding rows whose face is gone (vec0 has no foreign keys). */
export function orphanVectors(libraryDir: string): { facesWithoutVector: number; vectorsWithoutFace: number } {
  return withDb(libraryDir, (db) => {
    const tables = db.prepare("SELECT table_name FROM vector_tables WHERE kind = 'face'").all() as { table_name: string }[];
    let facesWithoutVector = 0;
    let vectorsWithoutFace = 0;
    for (const { table_name: t } of tables) {
      facesWithoutVector += (
        db.prepare(`SELECT count(*) AS n FROM faces WHERE rowid NOT IN (SELECT rowid FROM ${t})`).get() as { n: number }
      ).n;
      vectorsWithoutFace += (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE rowid NOT IN (SELECT id FROM faces)`).get() as { n: number })
        .n;
    }
    if (tables.length === 0) facesWithoutVector = (db.prepare('SELECT count(*) AS n FROM faces').get() as { n: number }).n;
    return { facesWithoutVector, vectorsWithoutFace };
  });
}

/** Every file under the library's thumbs/, relative, so a test can look for partial ones. */
export function thumbnailFiles(libraryDir: string): string[] {
  const dir = path.join(libraryDir, 'thumbs');
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

/**
 * Anything but finished thumbnails, display copies (HEIC/TIFF), face crops and text check images (kept
 * for the text job until it has checked the photo) is a leftover of an interrupted write.
 */
export function partialThumbnails(libraryDir: string): string[] {
  return thumbnailFiles(libraryDir).filter(
    (f) => !/^(\d{4}[\\/]\d+(\.webp|\.display\.jpg)|(faces|\.text-check)[\\/]\d{4}[\\/]\d+\.jpg)$/.test(f),
  );
}

/**
 * "Fully indexed or not at all", per photo: an indexed row has its thumbnail file and the faces a clean
 * run finds; any other row has neither faces nor a thumbnail. Returns what breaks the rule.
 */
export function allOrNothingProblems(libraryDir: string, referenceFaces: Record<string, number>): string[] {
  const thumbs = new Set(thumbnailFiles(libraryDir));
  const rows = withDb(
    libraryDir,
    (db) =>
      db
        .prepare(
          'SELECT p.id, p.path, p.status, p.thumbnail, (SELECT count(*) FROM faces f WHERE f.photo_id = p.id) AS faces FROM photos p',
        )
        .all() as { id: number; path: string; status: string; thumbnail: string | null; faces: number }[],
  );
  const problems: string[] = [];
  for (const row of rows) {
    const name = path.basename(row.path);
    const thumb = path.join(String(Math.floor(row.id / 1000)).padStart(4, '0'), `${row.id}.webp`);
    if (row.status === 'indexed') {
      if (!row.thumbnail || !thumbs.has(row.thumbnail)) problems.push(`${name}: indexed without its thumbnail`);
      if (row.faces !== referenceFaces[name]) problems.push(`${name}: ${row.faces} faces, a clean run finds ${referenceFaces[name]}`);
    } else {
      if (row.faces > 0) problems.push(`${name}: ${row.status} but has ${row.faces} faces`);
      if (thumbs.has(thumb)) problems.push(`${name}: ${row.status} but has a thumbnail`);
      if (thumbs.has(thumb.replace(/\.webp$/, '.display.jpg'))) problems.push(`${name}: ${row.status} but has a display copy`);
      if (thumbs.has(path.join('.text-check', thumb.replace(/\.webp$/, '.jpg'))))
        problems.push(`${name}: ${row.status} but has a check image`);
    }
  }
  // A face whose row says it has a crop has its file (an interrupted run may leave files of rolled-back
  // faces behind: harmless, as a crop is only served once its row says so).
  const crops = withDb(libraryDir, (db) => db.prepare('SELECT id FROM faces WHERE crop IS NOT NULL').all() as { id: number }[]);
  for (const { id } of crops)
    if (!thumbs.has(path.join('faces', String(Math.floor(id / 1000)).padStart(4, '0'), `${id}.jpg`)))
      problems.push(`face ${id}: crop recorded, no file`);
  return problems.concat(partialThumbnails(libraryDir).map((f) => `partial thumbnail left: ${f}`));
}

export function facesByName(libraryDir: string): Record<string, number> {
  return Object.fromEntries(photoRows(libraryDir).map((r) => [path.basename(r.path), r.faces]));
}

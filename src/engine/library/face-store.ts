import type { Box, Point } from '../../common/api/library';
import type { Db } from './database';
import { vectorBlob, vectorRowid } from './vector-codec';
import { type VectorTable, ensureVectorTable, listVectorTables } from './vector-tables';
import { prepared } from './statements';

export interface FaceToStore {
  box: Box;
  score: number;
  landmarks: Point[];
  embedding: Float32Array;
  quality: number;
  blur: number | null;
  pose: number | null;
  /** The resolution factor of the face's quality (quality.ts); null when not measured. */
  resolution?: number | null;
  /** The side of the face's crop file when one is written with the row (see imaging/face-crop.ts). */
  crop?: number | null;
}

interface ExistingFace {
  id: number;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  person_id: number | null;
  assignment: 'auto' | 'confirmed' | null;
}

export function intersectionOverUnion(a: Box, b: Box): number {
  const x1 = Math.max(a[0], b[0]);
  const y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[0] + a[2], b[0] + b[2]);
  const y2 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Replaces a photo's faces (a changed file was re-analysed). A user's work on the old faces (names,
 * confirmations, and "not this person" rejections, which would otherwise go with the old face's
 * ON DELETE CASCADE) is carried over to the new face at the same place (IoU ≥ 0.5): an EXIF edit by
 * another app must not cost names.
 */
export function replaceFaces(db: Db, photoId: number, modelId: string, faces: FaceToStore[]): number[] {
  const old = prepared(db, 'SELECT id, box_x, box_y, box_w, box_h, person_id, assignment FROM faces WHERE photo_id = ?').all(
    photoId,
  ) as ExistingFace[];
  const rejections = prepared(
    db,
    'SELECT r.face_id, r.person_id FROM face_rejections r JOIN faces f ON f.id = r.face_id WHERE f.photo_id = ?',
  ).all(photoId) as { face_id: number; person_id: number }[];
  deleteFaces(
    db,
    old.map((f) => f.id),
  );
  if (faces.length === 0) return [];
  const table = ensureVectorTable(db, 'face', modelId, faces[0]!.embedding.length);
  const insertRejection = prepared(db, 'INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)');
  const ids: number[] = [];
  for (const face of faces) {
    const samePlace = old.filter((o) => intersectionOverUnion([o.box_x, o.box_y, o.box_w, o.box_h], face.box) >= 0.5);
    const previous = samePlace.find((o) => o.person_id !== null);
    const id = insertFaceRow(db, photoId, modelId, face, previous?.person_id ?? null, previous?.assignment ?? null);
    writeFaceVector(db, table, id, face.embedding);
    for (const r of rejections) if (samePlace.some((o) => o.id === r.face_id)) insertRejection.run(id, r.person_id);
    ids.push(id);
  }
  return ids;
}

/** A face the benchmarks register without an analysis: with its vector, or only the row (a person filter needs no vector). */
export type RegisteredFace = Omit<FaceToStore, 'embedding' | 'blur' | 'pose'> & {
  embedding?: Float32Array;
  blur?: number | null;
  pose?: number | null;
  personId?: number | null;
  assignment?: 'auto' | 'confirmed' | null;
};

/** Adds faces to a photo registered with `registerIndexedPhoto` (nothing to carry over); returns their ids. */
export function registerFaces(db: Db, photoId: number, modelId: string, faces: readonly RegisteredFace[]): number[] {
  return faces.map((face) => {
    const id = insertFaceRow(
      db,
      photoId,
      modelId,
      { ...face, blur: face.blur ?? null, pose: face.pose ?? null },
      face.personId ?? null,
      face.assignment ?? null,
    );
    if (face.embedding) writeFaceVector(db, ensureVectorTable(db, 'face', modelId, face.embedding.length), id, face.embedding);
    return id;
  });
}

function insertFaceRow(
  db: Db,
  photoId: number,
  modelId: string,
  face: Omit<FaceToStore, 'embedding'>,
  personId: number | null,
  assignment: 'auto' | 'confirmed' | null,
): number {
  const info = prepared(
    db,
    `INSERT INTO faces (photo_id, model_id, box_x, box_y, box_w, box_h, score, landmarks, quality, blur, pose, resolution, person_id, assignment, crop)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    photoId,
    modelId,
    ...face.box,
    face.score,
    JSON.stringify(face.landmarks.map(([x, y]) => [round2(x), round2(y)])),
    face.quality,
    face.blur,
    face.pose,
    face.resolution ?? null,
    personId,
    assignment,
    face.crop ?? null,
  );
  return Number(info.lastInsertRowid);
}

function writeFaceVector(db: Db, table: VectorTable, faceId: number, embedding: Float32Array): void {
  prepared(db, `INSERT INTO ${table.tableName} (rowid, embedding) VALUES (?, ?)`).run(vectorRowid(faceId), vectorBlob(embedding));
}

/** Each face's person (null while unassigned): what the benchmarks score against their truth. */
export function personOfEachFace(db: Db): Map<number, number | null> {
  return new Map(
    (prepared(db, 'SELECT id, person_id AS p FROM faces').all() as { id: number; p: number | null }[]).map((r) => [r.id, r.p]),
  );
}

/** The ids of a photo's faces (whose crop files go when the photo is analysed again). */
export function faceIdsOfPhoto(db: Db, photoId: number): number[] {
  return (prepared(db, 'SELECT id FROM faces WHERE photo_id = ?').all(photoId) as { id: number }[]).map((r) => r.id);
}

/** The side of a face's stored crop; null when it has none (or there is no such face). */
export function faceCropSize(db: Db, faceId: number): number | null {
  return (prepared(db, 'SELECT crop FROM faces WHERE id = ?').get(faceId) as { crop: number | null } | undefined)?.crop ?? null;
}

/** Records the side of a face's crop file (null: the face has no crop file yet, the backfill makes one). */
export function setFaceCrop(db: Db, faceId: number, size: number | null): void {
  prepared(db, 'UPDATE faces SET crop = ? WHERE id = ?').run(size, faceId);
}

/** An indexed photo some of whose faces have no crop yet, with what the backfill needs to decode it once. */
export interface PhotoLackingCrops {
  id: number;
  path: string;
  width: number;
  height: number;
  faces: { id: number; box: Box }[];
}

/**
 * Indexed photos with faces lacking a crop, in id order, after `afterId` (the backfill's cursor, so a
 * photo whose original cannot be read is not met again in the same run). Offline and missing photos
 * wait until they are back: their originals cannot be decoded.
 */
export function photosLackingFaceCrops(db: Db, limit: number, afterId = 0): PhotoLackingCrops[] {
  const photos = prepared(
    db,
    `SELECT p.id, p.path, p.width, p.height FROM photos p
     WHERE p.id IN (SELECT photo_id FROM faces WHERE crop IS NULL) AND p.id > ? AND p.status = 'indexed'
       AND p.width IS NOT NULL AND p.height IS NOT NULL
     ORDER BY p.id LIMIT ?`,
  ).all(afterId, limit) as Omit<PhotoLackingCrops, 'faces'>[];
  const facesOf = prepared(db, 'SELECT id, box_x, box_y, box_w, box_h FROM faces WHERE photo_id = ? AND crop IS NULL ORDER BY id');
  return photos.map((photo) => ({
    ...photo,
    faces: (facesOf.all(photo.id) as { id: number; box_x: number; box_y: number; box_w: number; box_h: number }[]).map((f) => ({
      id: f.id,
      box: [f.box_x, f.box_y, f.box_w, f.box_h] as Box,
    })),
  }));
}

/** How many indexed photos have faces lacking a crop (the backfill's total). */
export function countPhotosLackingFaceCrops(db: Db): number {
  return (
    prepared(
      db,
      `SELECT count(*) AS n FROM photos WHERE id IN (SELECT photo_id FROM faces WHERE crop IS NULL) AND status = 'indexed'
       AND width IS NOT NULL AND height IS NOT NULL`,
    ).get() as { n: number }
  ).n;
}

/** Faces and their vectors go together (vec0 tables have no foreign keys). */
export function deleteFaces(db: Db, faceIds: number[]): void {
  if (faceIds.length === 0) return;
  const tables: VectorTable[] = listVectorTables(db, 'face');
  const deleteFace = prepared(db, 'DELETE FROM faces WHERE id = ?');
  const deleteVectors = tables.map((t) => prepared(db, `DELETE FROM ${t.tableName} WHERE rowid = ?`));
  for (const id of faceIds) {
    for (const statement of deleteVectors) statement.run(vectorRowid(id));
    deleteFace.run(id);
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

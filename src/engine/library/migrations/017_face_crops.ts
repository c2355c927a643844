import type { Migration } from './migration';

/**
 * Each face's own crop, a square image file cut at indexing from the decode the face was analysed on
 * (`thumbs/faces/<shard>/<face id>.jpg`, see imaging/face-crop.ts). `crop` is its side in pixels, NULL
 * while the face has none: faces from before this version, until the `backfill-face-crops` job makes
 * them. The partial index keeps "which faces still need one" cheap once almost every face has one.
 */
export const migration017FaceCrops: Migration = {
  version: 17,
  name: 'face-crops',
  up: (db) => {
    db.exec('ALTER TABLE faces ADD COLUMN crop INTEGER');
    db.exec('CREATE INDEX faces_without_crop ON faces(photo_id) WHERE crop IS NULL');
  },
};

import type { Migration } from './migration';

/**
 * Each face's resolution factor (quality.ts: 0 under 12 px as the embedder saw it, 1 from 40 px), which
 * decides whether a poor face may found a person: a tiny face's embedding drifts toward every other
 * tiny face's, a blurred or turned one's does not (people/README.md, "Founding bar"). NULL for faces
 * indexed before: they keep the old rule (only faces of quality >= 0.3 found).
 */
export const migration019FaceResolution: Migration = {
  version: 19,
  name: 'face-resolution',
  up: (db) => {
    db.exec(`ALTER TABLE faces ADD COLUMN resolution REAL`);
  },
};

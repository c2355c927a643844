import type { Migration } from './migration';

/**
 * Where the low-resolution text check saw text, kept with its verdict, so the full read after faces
 * looks there directly instead of running the check again on the larger decode. JSON array of
 * [cx, cy, width, height, angle] with positions and sides as fractions of the checked image; NULL
 * for scans from before (the full read then checks again).
 */
export const migration013TextScanAreas: Migration = {
  version: 13,
  name: 'text-scan-areas',
  up: (db) => {
    db.exec('ALTER TABLE photo_text_scans ADD COLUMN areas TEXT');
  },
};

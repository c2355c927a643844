import type { Migration } from './migration';

/**
 * A photo whose text could not be read (the read threw: a file that decodes for indexing but not for
 * the text job, a model error) keeps why, and how many attempts failed, so the text job stops retrying
 * it after a few runs and `facet text` can say so. Such a scan has state 'none' and a non-NULL error;
 * a later successful scan replaces the row (error NULL, failures 0).
 */
export const migration014TextScanFailures: Migration = {
  version: 14,
  name: 'text-scan-failures',
  up: (db) => {
    db.exec('ALTER TABLE photo_text_scans ADD COLUMN error TEXT');
    db.exec('ALTER TABLE photo_text_scans ADD COLUMN failures INTEGER NOT NULL DEFAULT 0');
  },
};

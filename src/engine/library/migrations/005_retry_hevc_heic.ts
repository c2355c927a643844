import type { Migration } from './migration';

/**
 * Facet once reported HEVC-coded HEIC photos (most iPhone photos) as unsupported; it decodes them now.
 * An unchanged file with a final status is never read again, so without this step a library upgraded
 * from then would keep them out for good. Set back to pending, the next run indexes them.
 */
export const migration005RetryHevcHeic: Migration = {
  version: 5,
  name: 'retry-hevc-heic',
  up: (db) => {
    db.exec("UPDATE photos SET status = 'pending', error = NULL WHERE status = 'unsupported' AND format IN ('HEIC', 'HEIF')");
  },
};

import type { Migration } from './migration';

/**
 * The nearest town's name beside its id, so a query can name a small town without loading the
 * 135,000-place gazetteer (about 100 MB) in every process that searches. Rows from migration 6 have
 * no name yet; the next geocoding pass (on open) fills them in (see PlaceStore.pending).
 */
export const migration009PlaceNames: Migration = {
  version: 9,
  name: 'place-names',
  up: (db) => {
    db.exec('ALTER TABLE photo_places ADD COLUMN nearest TEXT');
  },
};

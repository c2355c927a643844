import type { Migration } from './migration';

/**
 * Every search lists the places a query may name (PlaceStore.names). At a million photos, grouping the
 * nearest towns read each row (1.7 s here); this covering index answers from the index alone (0.2 s).
 */
export const migration010PlaceNameIndex: Migration = {
  version: 10,
  name: 'place-name-index',
  up: (db) => {
    db.exec('CREATE INDEX photo_places_nearest_names ON photo_places(nearest_id, nearest, country, city_id)');
  },
};

import type { Migration } from './migration';

/**
 * Where each photo with GPS was taken, reverse-geocoded offline (src/engine/places). `lat`/`lon` are
 * the coordinates the place was computed from, so a photo whose GPS changed is geocoded again. A
 * photo whose GPS is far from any town has a row with no city (so it is not retried on every open).
 * `nearest_id` is the nearest GeoNames place, `city_id` the city a person would name (they differ
 * for a district or suburb of a big city); both are GeoNames ids.
 */
export const migration006Places: Migration = {
  version: 6,
  name: 'places',
  up: (db) => {
    db.exec(`
      CREATE TABLE photo_places (
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        lat REAL NOT NULL,
        lon REAL NOT NULL,
        nearest_id INTEGER,
        city_id INTEGER,
        city TEXT,
        region TEXT,
        country TEXT
      );
      CREATE INDEX photo_places_city ON photo_places(city_id);
      CREATE INDEX photo_places_nearest ON photo_places(nearest_id);
      CREATE INDEX photo_places_country ON photo_places(country);
    `);
  },
};

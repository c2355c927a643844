import type { Db } from './database';

/** A reverse-geocoded place as stored for one photo. */
export interface StoredPlace {
  photoId: number;
  lat: number;
  lon: number;
  nearestId: number | null;
  nearest: string | null;
  cityId: number | null;
  city: string | null;
  region: string | null;
  country: string | null;
}

/** A place a query may name: a city or town (GeoNames id, stored English name) or a country (ISO code). */
export interface PlaceName {
  kind: 'city' | 'country';
  id: number | string;
  name: string | null;
  country: string;
  photos: number;
}

/** One city or country of the library, with how many photos were taken there. */
export interface PlaceCount {
  kind: 'city' | 'country';
  /** GeoNames id or ISO country code. */
  id: string;
  country: string;
  photos: number;
  /** The newest photo taken there (the Places view's cover). */
  coverPhotoId: number;
}

/** Every SQL statement about photo_places (see migration 006). */
export class PlaceStore {
  constructor(private readonly db: Db) {}

  /** Photos with GPS whose place is missing, was computed from other coordinates, or lacks the nearest town's name (migration 9). */
  pending(limit: number): { id: number; lat: number; lon: number }[] {
    return this.db
      .prepare(
        `SELECT p.id, p.gps_lat AS lat, p.gps_lon AS lon FROM photos p LEFT JOIN photo_places pl ON pl.photo_id = p.id
         WHERE p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL AND (pl.photo_id IS NULL OR pl.lat <> p.gps_lat OR pl.lon <> p.gps_lon OR (pl.nearest_id IS NOT NULL AND pl.nearest IS NULL))
         ORDER BY p.id LIMIT ?`,
      )
      .all(limit) as { id: number; lat: number; lon: number }[];
  }

  save(places: readonly StoredPlace[]): void {
    const upsert = this.db.prepare(
      `INSERT OR REPLACE INTO photo_places (photo_id, lat, lon, nearest_id, nearest, city_id, city, region, country)
       VALUES (@photoId, @lat, @lon, @nearestId, @nearest, @cityId, @city, @region, @country)`,
    );
    this.db.transaction(() => places.forEach((p) => upsert.run(p)))();
  }

  /** Photos that lost their GPS (the file was edited) lose their place too. */
  dropStale(): number {
    return this.db.prepare('DELETE FROM photo_places WHERE photo_id IN (SELECT id FROM photos WHERE gps_lat IS NULL OR gps_lon IS NULL)').run().changes;
  }

  /**
   * The library's cities and countries with photo counts and the newest photo as cover, most photos
   * first. A city counts the photos it is the named city of, and those of places near it whose
   * nearest point it is (a query for a small town finds it too).
   */
  counts(): PlaceCount[] {
    const cities = this.db
      .prepare(
        `SELECT 'city' AS kind, CAST(pl.city_id AS TEXT) AS id, pl.country AS country, count(*) AS photos,
           (SELECT p2.id FROM photo_places pl2 JOIN photos p2 ON p2.id = pl2.photo_id WHERE pl2.city_id = pl.city_id AND p2.status = 'indexed'
            ORDER BY p2.taken_at DESC, p2.id DESC LIMIT 1) AS coverPhotoId
         FROM photo_places pl JOIN photos p ON p.id = pl.photo_id
         WHERE pl.city_id IS NOT NULL AND p.status = 'indexed' GROUP BY pl.city_id`,
      )
      .all() as PlaceCount[];
    const countries = this.db
      .prepare(
        `SELECT 'country' AS kind, pl.country AS id, pl.country AS country, count(*) AS photos,
           (SELECT p2.id FROM photo_places pl2 JOIN photos p2 ON p2.id = pl2.photo_id WHERE pl2.country = pl.country AND p2.status = 'indexed'
            ORDER BY p2.taken_at DESC, p2.id DESC LIMIT 1) AS coverPhotoId
         FROM photo_places pl JOIN photos p ON p.id = pl.photo_id
         WHERE pl.country IS NOT NULL AND p.status = 'indexed' GROUP BY pl.country`,
      )
      .all() as PlaceCount[];
    return [...countries, ...cities].sort((a, b) => b.photos - a.photos || a.id.localeCompare(b.id));
  }

  /**
   * Every place a query may name, with its photo count: the cities photos were taken in, the towns
   * nearest to them (a suburb or a village), and the countries. Names are the stored English ones.
   */
  names(): PlaceName[] {
    const cities = this.db
      .prepare("SELECT 'city' AS kind, city_id AS id, city AS name, country, count(*) AS photos FROM photo_places WHERE city_id IS NOT NULL GROUP BY city_id")
      .all() as PlaceName[];
    const towns = this.db
      .prepare("SELECT 'city' AS kind, nearest_id AS id, nearest AS name, country, 0 AS photos FROM photo_places WHERE nearest_id IS NOT NULL AND nearest_id <> city_id GROUP BY nearest_id")
      .all() as PlaceName[];
    // A photo's country is its city's, so the countries and their counts follow from the cities.
    const countries = new Map<string, number>();
    for (const c of cities) if (c.country) countries.set(c.country, (countries.get(c.country) ?? 0) + c.photos);
    return [...cities, ...towns, ...[...countries].map(([code, photos]) => ({ kind: 'country' as const, id: code, name: null, country: code, photos }))];
  }

  /** Geotagged photos north and south of the equator: the default hemisphere for seasons. */
  hemisphereCounts(): { north: number; south: number } {
    return this.db.prepare('SELECT coalesce(sum(gps_lat >= 0), 0) AS north, coalesce(sum(gps_lat < 0), 0) AS south FROM photos WHERE gps_lat IS NOT NULL').get() as {
      north: number;
      south: number;
    };
  }
}

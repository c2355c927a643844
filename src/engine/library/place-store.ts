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
  /** The stored English name of a city; null for a country (named from its code). */
  name: string | null;
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
    return this.db
      .prepare('DELETE FROM photo_places WHERE photo_id IN (SELECT id FROM photos WHERE gps_lat IS NULL OR gps_lon IS NULL)')
      .run().changes;
  }

  /**
   * The library's cities and countries with photo counts and the newest photo as cover, most photos
   * first. A city counts the photos it is the named city of, and those of places near it whose
   * nearest point it is (a query for a small town finds it too).
   */
  counts(): PlaceCount[] {
    // One pass: with a single max() SQLite takes the bare column (p.id) from the row holding the max,
    // so each group's newest photo comes with its count (a subquery per city took seconds at 1 M photos).
    const rows = this.db
      .prepare(
        `SELECT pl.city_id AS cityId, pl.city AS name, pl.country AS country, count(*) AS photos, max(coalesce(p.taken_at, '') || printf('%012d', p.id)) AS newest, p.id AS coverPhotoId
         FROM photo_places pl JOIN photos p ON p.id = pl.photo_id
         WHERE pl.city_id IS NOT NULL AND p.status = 'indexed' GROUP BY pl.city_id`,
      )
      .all() as { cityId: number; name: string; country: string; photos: number; newest: string; coverPhotoId: number }[];
    const cities = rows.map((r): PlaceCount => ({
      kind: 'city',
      id: String(r.cityId),
      name: r.name,
      country: r.country,
      photos: r.photos,
      coverPhotoId: r.coverPhotoId,
    }));
    const countries = new Map<string, PlaceCount & { newest: string }>();
    for (const r of rows) {
      const c = countries.get(r.country);
      if (!c)
        countries.set(r.country, {
          kind: 'country',
          id: r.country,
          name: null,
          country: r.country,
          photos: r.photos,
          coverPhotoId: r.coverPhotoId,
          newest: r.newest,
        });
      else {
        c.photos += r.photos;
        if (r.newest > c.newest) Object.assign(c, { newest: r.newest, coverPhotoId: r.coverPhotoId });
      }
    }
    return [...[...countries.values()].map(({ newest: _newest, ...c }) => c), ...cities].sort(
      (a, b) => b.photos - a.photos || a.id.localeCompare(b.id),
    );
  }

  /**
   * Every place a query may name, with its photo count: the cities photos were taken in, the towns
   * nearest to them (a suburb or a village), and the countries. Names are the stored English ones.
   */
  names(): PlaceName[] {
    const cities = this.db
      .prepare(
        "SELECT 'city' AS kind, city_id AS id, city AS name, country, count(*) AS photos FROM photo_places WHERE city_id IS NOT NULL GROUP BY city_id",
      )
      .all() as PlaceName[];
    const towns = this.db
      .prepare(
        "SELECT 'city' AS kind, nearest_id AS id, nearest AS name, country, 0 AS photos FROM photo_places WHERE nearest_id IS NOT NULL AND nearest_id <> city_id GROUP BY nearest_id",
      )
      .all() as PlaceName[];
    // A photo's country is its city's, so the countries and their counts follow from the cities.
    const countries = new Map<string, number>();
    for (const c of cities) if (c.country) countries.set(c.country, (countries.get(c.country) ?? 0) + c.photos);
    return [
      ...cities,
      ...towns,
      ...[...countries].map(([code, photos]) => ({ kind: 'country' as const, id: code, name: null, country: code, photos })),
    ];
  }

  /** Geotagged photos north and south of the equator: the default hemisphere for seasons. */
  hemisphereCounts(): { north: number; south: number } {
    return this.db
      .prepare(
        'SELECT coalesce(sum(gps_lat >= 0), 0) AS north, coalesce(sum(gps_lat < 0), 0) AS south FROM photos WHERE gps_lat IS NOT NULL',
      )
      .get() as {
      north: number;
      south: number;
    };
  }
}

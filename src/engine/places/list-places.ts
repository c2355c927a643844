import countries from 'i18n-iso-countries';
import type { PlaceSummary } from '../../common/api/places';
import type { Db } from '../library/database';
import { PlaceStore } from '../library/place-store';
import { KOREAN_CITY_NAMES } from './korean-city-names';

/**
 * The library's places for the Places view: one pass over the geotagged photos plus name tables (no
 * gazetteer load; city names were stored when the photos were geocoded). It runs in the worker, as
 * a million geotagged photos take seconds.
 */
export function listPlaces(db: Db): PlaceSummary[] {
  return new PlaceStore(db)
    .counts()
    .map((c) => ({
      ...c,
      name: c.kind === 'country' ? (countries.getName(c.id, 'en') ?? c.id) : (c.name ?? c.id),
      nameKo: c.kind === 'country' ? (countries.getName(c.id, 'ko') ?? null) : (KOREAN_CITY_NAMES[Number(c.id)] ?? null),
    }))
    .sort((a, b) => b.photos - a.photos || a.name.localeCompare(b.name));
}

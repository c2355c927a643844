import countries from 'i18n-iso-countries';
import type { PlaceSummary } from '../../common/api/places';
import type { Db } from '../library/database';
import { PlaceStore } from '../library/place-store';
import { KOREAN_CITY_NAMES } from './korean-city-names';

/**
 * The library's places for the Places view. Plain SQL plus name tables (no gazetteer load), so it can
 * answer in the app's main process: city names were stored when the photos were geocoded.
 */
export function listPlaces(db: Db): PlaceSummary[] {
  const store = new PlaceStore(db);
  const cityNames = new Map((db.prepare('SELECT DISTINCT city_id AS id, city FROM photo_places WHERE city_id IS NOT NULL').all() as { id: number; city: string }[]).map((r) => [String(r.id), r.city]));
  return store
    .counts()
    .map((c) => ({
      ...c,
      name: c.kind === 'country' ? (countries.getName(c.id, 'en') ?? c.id) : (cityNames.get(c.id) ?? c.id),
      nameKo: c.kind === 'country' ? (countries.getName(c.id, 'ko') ?? null) : (KOREAN_CITY_NAMES[Number(c.id)] ?? null),
    }))
    .sort((a, b) => b.photos - a.photos || a.name.localeCompare(b.name));
}

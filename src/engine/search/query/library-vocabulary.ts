import type { Db } from '../../library/database';
import { PlaceStore } from '../../library/place-store';
import { Gazetteer } from '../../places/gazetteer';
import { cityFilter, cityNames, countryFilter, countryNames } from '../../places/place-names';
import type { Hemisphere } from './calendar';
import type { QueryVocabulary } from './names';

/**
 * What this library's queries can name: its named people, and only the places where it has photos
 * (cities and countries, plus the nearest towns). Restricting names to the library keeps everyday
 * words that are also town names ("Nice", "Bath", "Mobile") in the visual query unless the user
 * really has photos there.
 */
export function libraryVocabulary(db: Db): QueryVocabulary {
  const people = db
    .prepare(
      `SELECT pe.name AS name, count(DISTINCT f.photo_id) AS photos FROM people pe LEFT JOIN faces f ON f.person_id = pe.id
       WHERE pe.name IS NOT NULL GROUP BY pe.id`,
    )
    .all() as { name: string; photos: number }[];
  const store = new PlaceStore(db);
  const counts = store.counts();
  if (counts.length === 0) return { people, places: [] };
  const gazetteer = Gazetteer.load();
  const places: QueryVocabulary['places'][number][] = [];
  const seen = new Set<string>();
  for (const c of counts) {
    if (c.kind === 'country') places.push({ names: countryNames(c.id), place: countryFilter(c.id), photos: c.photos });
    else {
      const city = gazetteer.city(Number(c.id));
      if (city) places.push({ names: cityNames(city), place: cityFilter(city), photos: c.photos });
    }
    seen.add(`${c.kind}:${c.id}`);
  }
  for (const id of store.nearestIds()) {
    const city = gazetteer.city(id);
    if (city && !seen.has(`city:${id}`)) places.push({ names: cityNames(city), place: cityFilter(city), photos: 0 });
  }
  return { people, places };
}

/**
 * The hemisphere that decides which year "last summer" means: where most of the library's geotagged
 * photos were taken, else the north (most people live there; the engine does not know the user's
 * locale). Each photo is still matched in its own hemisphere when it has GPS.
 */
export function libraryHemisphere(db: Db): Hemisphere {
  const { north, south } = new PlaceStore(db).hemisphereCounts();
  return south > north ? 'south' : 'north';
}

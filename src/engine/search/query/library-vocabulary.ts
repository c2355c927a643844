import type { Db } from '../../library/database';
import { PlaceStore } from '../../library/place-store';
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
  const places = new PlaceStore(db).names().flatMap((p): QueryVocabulary['places'][number][] => {
    if (p.kind === 'country') return [{ names: countryNames(String(p.id)), place: countryFilter(String(p.id)), photos: p.photos }];
    if (!p.name) return [];
    const city = { id: Number(p.id), name: p.name, country: p.country };
    return [{ names: cityNames(city), place: cityFilter(city), photos: p.photos }];
  });
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

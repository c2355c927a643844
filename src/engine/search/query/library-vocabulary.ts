import { type Db, writeStamp } from '../../library/database';
import { namedPeopleWithFaceCounts } from '../../library/people-store';
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
  return cached(db).vocabulary;
}

interface LibraryTerms {
  key: string;
  vocabulary: QueryVocabulary;
  hemisphere: Hemisphere;
}
const cache = new WeakMap<Db, LibraryTerms>();

/**
 * Every search needs the vocabulary and the hemisphere, and both scan the library (about half a second
 * at a million photos), so they are kept per connection until anything is written: data_version
 * changes when another connection writes, total_changes() when this one does.
 */
function cached(db: Db): LibraryTerms {
  const key = writeStamp(db);
  let terms = cache.get(db);
  if (terms?.key !== key) {
    const { north, south } = new PlaceStore(db).hemisphereCounts();
    terms = { key, vocabulary: readVocabulary(db), hemisphere: south > north ? 'south' : 'north' };
    cache.set(db, terms);
  }
  return terms;
}

function readVocabulary(db: Db): QueryVocabulary {
  // Faces, not distinct photos, weigh a person (see namedPeopleWithFaceCounts).
  const people = namedPeopleWithFaceCounts(db);
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
  return cached(db).hemisphere;
}

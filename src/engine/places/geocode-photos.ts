import type { Library } from '../library/library';
import { PlaceStore, type StoredPlace } from '../library/place-store';
import { Gazetteer } from './gazetteer';

const BATCH = 2000;

/**
 * Gives every photo with GPS its place (city, region, country), offline. Idempotent and cheap when
 * there is nothing to do (one indexed query; the gazetteer is loaded only when a photo needs it), so
 * it runs after every index run and when a library is opened for writing: that also backfills the
 * photos indexed before places existed. Returns how many photos were geocoded.
 */
export function geocodePendingPhotos(library: Library): number {
  const store = new PlaceStore(library.db);
  store.dropStale();
  let done = 0;
  let gazetteer: Gazetteer | undefined; // about 100 MB: loaded only when a photo needs it, dropped after
  for (;;) {
    const pending = store.pending(BATCH);
    if (pending.length === 0) return done;
    const g = (gazetteer ??= Gazetteer.load());
    store.save(pending.map((p) => placeFor(g, p.id, p.lat, p.lon)));
    done += pending.length;
  }
}

function placeFor(gazetteer: Gazetteer, photoId: number, lat: number, lon: number): StoredPlace {
  const found = gazetteer.reverse(lat, lon);
  return {
    photoId,
    lat,
    lon,
    nearestId: found?.nearest.id ?? null,
    nearest: found?.nearest.name ?? null,
    cityId: found?.city.id ?? null,
    city: found?.city.name ?? null,
    region: found?.city.region ?? null,
    country: found?.city.country ?? null,
  };
}

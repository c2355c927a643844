import type { PlaceSummary } from '../../../src/common/api/places';
import { call } from './api';
import { i18n } from './i18n.svelte';

/** The library's places (cities and countries from offline reverse geocoding) for the Places view and search. */
class PlacesManager {
  list = $state.raw<PlaceSummary[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.list = await call('places.list', {});
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  get cities(): PlaceSummary[] {
    return this.list.filter((p) => p.kind === 'city');
  }

  get countries(): PlaceSummary[] {
    return this.list.filter((p) => p.kind === 'country');
  }

  /** The name shown: Korean where the app is in Korean and a Korean name is known. */
  displayName(place: PlaceSummary): string {
    return i18n.locale === 'ko' && place.nameKo ? place.nameKo : place.name;
  }

  /** The words that put this place in a search query (the query parser knows both languages). */
  queryName(place: PlaceSummary): string {
    return this.displayName(place);
  }
}

export const places = new PlacesManager();

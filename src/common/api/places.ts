import { z } from 'zod';
import { channel } from './channel';

/** One place of the library for the Places view: a city or a country, with its photo count and cover. */
export interface PlaceSummary {
  kind: 'city' | 'country';
  /** GeoNames city id or ISO 3166-1 alpha-2 country code. */
  id: string;
  /** English name ("Busan", "South Korea"). */
  name: string;
  /** Korean name where Facet knows one ("부산", "대한민국"), else null. */
  nameKo: string | null;
  /** ISO country code. */
  country: string;
  photos: number;
  /** The newest photo taken there. */
  coverPhotoId: number;
}

export const placesChannels = {
  /** Cities and countries with photos, most photos first (offline reverse geocoding of GPS; no map, no network). */
  'places.list': channel<PlaceSummary[]>('worker')(z.object({}).strict()),
} as const;

import countries from 'i18n-iso-countries';
import type { PlaceFilter } from '../../common/api/search-query';
import type { City } from './gazetteer';
import { KOREAN_CITY_NAMES } from './korean-city-names';

/** Everyday names i18n-iso-countries lacks (it has "South Korea" and the official 대한민국). */
const COUNTRY_ALIASES: Record<string, string[]> = {
  KR: ['Korea', '한국', '남한'],
  KP: ['북한'],
  US: ['America'],
  GB: ['England', 'Britain'],
};

/** English name of a country ("South Korea"), or the code itself when unknown. */
export function countryName(code: string, language: 'en' | 'ko' = 'en'): string {
  return countries.getName(code, language) ?? code;
}

/** Every name a country answers to in a query: English names and aliases, Korean names. */
export function countryNames(code: string): string[] {
  const english = countries.getName(code, 'en', { select: 'all' }) ?? [];
  const korean = countries.getName(code, 'ko', { select: 'all' }) ?? [];
  // "US" or "UK" typed in lower case are everyday words ("us"), so two-letter aliases are left out.
  return [...english.filter((n) => n.replace(/\./g, '').length > 2), ...korean, ...(COUNTRY_ALIASES[code] ?? [])];
}

/** Every name a city answers to: its GeoNames name (also without "-si"/"City" suffixes) and a Korean name. */
export function cityNames(city: Pick<City, 'id' | 'name'>): string[] {
  const names = [city.name];
  const bare = city.name.replace(/[- ]si$/i, '').replace(/ City$/, '');
  if (bare !== city.name) names.push(bare);
  const korean = KOREAN_CITY_NAMES[city.id];
  if (korean) names.push(korean);
  return names;
}

export function cityFilter(city: Pick<City, 'id' | 'name' | 'country'>): PlaceFilter {
  return { kind: 'city', id: String(city.id), name: city.name, country: city.country };
}

export function countryFilter(code: string): PlaceFilter {
  return { kind: 'country', id: code, name: countryName(code), country: code };
}

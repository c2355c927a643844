import path from 'node:path';
import { expect, it } from 'vitest';
import { Library } from '../../../../src/engine/library/library';
import { createPerson } from '../../../../src/engine/library/people-store';
import { registerIndexedPhoto } from '../../../../src/engine/library/photo-store';
import { PlaceStore } from '../../../../src/engine/library/place-store';
import { libraryHemisphere, libraryVocabulary } from '../../../../src/engine/search/query/library-vocabulary';
import { tempDir } from '../../../support/temp';

it('the library vocabulary is kept between searches and follows writes from this and other connections', () => {
  const dir = path.join(tempDir('facet-vocab-'), 'library');
  const searcher = Library.open(dir);
  const writer = Library.open(dir);
  try {
    expect(libraryVocabulary(searcher.db)).toEqual({ people: [], places: [] });
    expect(libraryVocabulary(searcher.db)).toBe(libraryVocabulary(searcher.db)); // cached
    createPerson(searcher.db, 'Mina Kim');
    expect(libraryVocabulary(searcher.db).people).toEqual([{ name: 'Mina Kim', photos: 0 }]);
    const photoId = registerIndexedPhoto(writer.db, { path: '/p/1.jpg', mtimeMs: 1, gpsLat: -33.86, gpsLon: 151.21 });
    new PlaceStore(writer.db).save([
      {
        photoId,
        lat: -33.86,
        lon: 151.21,
        nearestId: 2147714,
        nearest: 'Sydney',
        cityId: 2147714,
        city: 'Sydney',
        region: '02',
        country: 'AU',
      },
    ]);
    expect(libraryVocabulary(searcher.db).places.map((p) => p.place.name)).toEqual(['Sydney', 'Australia']);
    expect(libraryHemisphere(searcher.db)).toBe('south');
  } finally {
    writer.close();
    searcher.close();
  }
});

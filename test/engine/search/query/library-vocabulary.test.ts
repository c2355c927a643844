import path from 'node:path';
import { expect, it } from 'vitest';
import { Library } from '../../../../src/engine/library/library';
import { libraryHemisphere, libraryVocabulary } from '../../../../src/engine/search/query/library-vocabulary';
import { tempDir } from '../../../support/temp';

it('the library vocabulary is kept between searches and follows writes from this and other connections', () => {
  const dir = path.join(tempDir('facet-vocab-'), 'library');
  const searcher = Library.open(dir);
  const writer = Library.open(dir);
  try {
    expect(libraryVocabulary(searcher.db)).toEqual({ people: [], places: [] });
    expect(libraryVocabulary(searcher.db)).toBe(libraryVocabulary(searcher.db)); // cached
    searcher.db.prepare("INSERT INTO people (name) VALUES ('Mina Kim')").run();
    expect(libraryVocabulary(searcher.db).people).toEqual([{ name: 'Mina Kim', photos: 0 }]);
    const photoId = Number(writer.db.prepare("INSERT INTO photos (path, size, mtime_ms, status, gps_lat, gps_lon) VALUES ('/p/1.jpg', 1, 1, 'indexed', -33.86, 151.21)").run().lastInsertRowid);
    writer.db.prepare("INSERT INTO photo_places (photo_id, lat, lon, nearest_id, nearest, city_id, city, region, country) VALUES (?, -33.86, 151.21, 2147714, 'Sydney', 2147714, 'Sydney', '02', 'AU')").run(photoId);
    expect(libraryVocabulary(searcher.db).places.map((p) => p.place.name)).toEqual(['Sydney', 'Australia']);
    expect(libraryHemisphere(searcher.db)).toBe('south');
  } finally {
    writer.close();
    searcher.close();
  }
});

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Library } from '../../../src/engine/library/library';
import { registerFaces } from '../../../src/engine/library/face-store';
import { createPerson } from '../../../src/engine/library/people-store';
import { PhotoStore, registerIndexedPhoto } from '../../../src/engine/library/photo-store';
import { buildPhotoFilter } from '../../../src/engine/search/search-filters';
import { tempDir } from '../../support/temp';

/** 2,000 photos over 20 years, each with one of 20 people's faces; photo 7 is not indexed (missing). */
let library: Library;
beforeAll(() => {
  library = Library.open(path.join(tempDir('facet-filters-'), 'lib'));
  const db = library.db;
  db.transaction(() => {
    for (let p = 1; p <= 20; p++) createPerson(db, `Person ${p}`);
    for (let id = 1; id <= 2000; id++) {
      registerIndexedPhoto(db, { id, path: `/p/${id}.jpg`, takenAt: `${2000 + (id % 20)}-06-15T12:00:00` });
      registerFaces(db, id, 'm', [{ box: [0, 0, 1, 1], score: 1, landmarks: [], quality: 1, personId: 1 + (id % 20) }]);
    }
    new PhotoStore(db).markMissing([7]);
  })();
});
afterAll(() => library?.close());

function photosAndPlan(filters: Parameters<typeof buildPhotoFilter>[1]): { ids: number[]; plan: string } {
  const filter = buildPhotoFilter(library.db, filters, null);
  const sql = `SELECT p.id FROM photos p WHERE ${filter.where} ORDER BY p.id`;
  const plan = (library.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...filter.params) as { detail: string }[])
    .map((r) => r.detail)
    .join(' | ');
  return {
    ids: library.db
      .prepare(sql)
      .pluck()
      .all(...filter.params) as number[],
    plan,
  };
}

it("a person + date filter is driven by the person's faces, each photo read once by rowid", () => {
  // Person 8 has the photos with id % 20 = 7: taken in 2007, so a 2006–2007 range keeps all of them but 7 (missing).
  const { ids, plan } = photosAndPlan({ people: ['Person 8'], from: '2006-01-01', to: '2007-12-31' });
  expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => 7 + i * 20).filter((id) => id !== 7));
  // One range of the person's faces in date order: the photos outside the years are never read.
  expect(plan).toMatch(/SEARCH f USING COVERING INDEX faces_person_taken \(person_id=\? AND photo_taken_at>\? AND photo_taken_at<\?\)/);
  expect(plan).toMatch(/SEARCH p USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  expect(plan).not.toMatch(/photos_status/); // not a second look-up through the status index per photo
  expect(photosAndPlan({ people: ['Person 8'], from: '2008-01-01', to: '2009-12-31' }).ids).toEqual([]);
});

it('filters without a person keep their plans (status or date index)', () => {
  const dates = photosAndPlan({ from: '2003-01-01', to: '2003-12-31' });
  expect(dates.ids).toHaveLength(100);
  expect(dates.plan).toMatch(/INDEX photos_(status|taken_at)/);
  const plain = photosAndPlan({});
  expect(plain.ids).toHaveLength(1999);
  expect(plain.plan).toMatch(/INDEX photos_status/);
});

it("the person's date range follows the photos: a redated photo moves in or out, a new face comes with its photo's date", () => {
  const db = library.db;
  const inRange = () => photosAndPlan({ people: ['Person 8'], from: '2010-01-01', to: '2010-12-31' }).ids;
  expect(inRange()).toEqual([]);
  const redate = (id: number, takenAt: string) => registerIndexedPhoto(db, { path: `/p/${id}.jpg`, takenAt }, 'redate'); // a later index run
  redate(27, '2010-03-01T09:00:00'); // Person 8's photo from 2007
  expect(inRange()).toEqual([27]);
  registerIndexedPhoto(db, { id: 2001, path: '/p/2001.jpg', takenAt: '2010-12-31T23:59:00' });
  registerFaces(db, 2001, 'm', [{ box: [0, 0, 1, 1], score: 1, landmarks: [], quality: 1, personId: 8 }]);
  expect(inRange()).toEqual([27, 2001]);
  redate(2001, '2011-01-01T00:00:00');
  expect(inRange()).toEqual([27]);
  // Dates the query says in words bound the range too; a recurring date ("July") cannot, and still filters.
  const season = photosAndPlan({ people: ['Person 8'], dates: [{ kind: 'season', season: 'spring', year: 2010 }] });
  expect(season.ids).toEqual([27]);
  expect(season.plan).toMatch(/faces_person_taken \(person_id=\? AND photo_taken_at>\? AND photo_taken_at<\?\)/);
  const march = photosAndPlan({ people: ['Person 8'], dates: [{ kind: 'month', month: 3 }] });
  expect(march.ids).toEqual([27]);
  expect(march.plan).toMatch(/faces_person_taken \(person_id=\?\)/);
  redate(27, '2007-06-15T12:00:00');
});

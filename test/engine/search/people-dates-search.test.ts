import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DateFilter } from '../../../src/common/api/search-query';
import { Library } from '../../../src/engine/library/library';
import { registerFaces } from '../../../src/engine/library/face-store';
import { imageVectorTable, markEmbedded, writeImageVector } from '../../../src/engine/library/image-vectors';
import { createPerson } from '../../../src/engine/library/people-store';
import { PhotoStore, registerIndexedPhoto } from '../../../src/engine/library/photo-store';
import { buildPhotoFilter } from '../../../src/engine/search/search-filters';
import { parseQuery, searchByEmbedding } from '../../../src/engine/search/text-search';
import { releaseVectorIndexes } from '../../../src/engine/search/vector-index';
import { tempDir } from '../../support/temp';

const DIMS = 16;
const PHOTOS = 2000;

function unit(seed: number): Float32Array {
  const v = Float32Array.from({ length: DIMS }, (_, i) => (Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453) % 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

interface Photo {
  id: number;
  takenAt: string | null;
  people: number[];
  vector: Float32Array;
}

/**
 * A filter of people and dates only takes its candidates from the faces index and checks the photos'
 * status on the hits (text-search.ts: filteredNearest); every other filter checks each photo's row.
 * Both must return exactly what scoring every photo that passes the filter returns.
 */
describe('people + dates search: candidates from the faces index, status checked on the hits', () => {
  let library: Library;
  const photos: Photo[] = [];
  const missing = new Set<number>();

  const personId = (name: string) => Number(name.split(' ')[1]);
  const between = (from: string | null, to: string | null) => (p: Photo) =>
    p.takenAt !== null && (!from || p.takenAt >= from) && (!to || p.takenAt.slice(0, 10) <= to);
  const withAll = (names: string[]) => (p: Photo) => names.every((n) => p.people.includes(personId(n)));

  const cases: { name: string; filter: Filter; keep: (p: Photo) => boolean; fromFaces: boolean }[] = [
    {
      name: 'a person in two years',
      filter: { people: ['Person 4'], from: '2003-01-01', to: '2004-12-31' },
      keep: (p) => withAll(['Person 4'])(p) && between('2003-01-01', '2004-12-31')(p),
      fromFaces: true,
    },
    {
      name: 'a person at any date (photos without a date included)',
      filter: { people: ['Person 4'] },
      keep: withAll(['Person 4']),
      fromFaces: true,
    },
    {
      name: 'two people together, an open range from the words narrowed by --to',
      filter: { people: ['Person 4', 'Person 12'], to: '2015-06-30', dates: [{ kind: 'range', from: '2002-01-01', to: null }] },
      keep: (p) => withAll(['Person 4', 'Person 12'])(p) && between('2002-01-01', '2015-06-30')(p),
      fromFaces: true,
    },
    {
      name: 'two spans ("2003 2010": either year), checked on each photo',
      filter: {
        people: ['Person 4'],
        dates: [
          { kind: 'range', from: '2003-01-01', to: '2003-12-31' },
          { kind: 'range', from: '2010-01-01', to: '2010-12-31' },
        ],
      },
      keep: (p) => withAll(['Person 4'])(p) && (between('2003-01-01', '2003-12-31')(p) || between('2010-01-01', '2010-12-31')(p)),
      fromFaces: false,
    },
    {
      name: 'a month of any year, checked on each photo',
      filter: { people: ['Person 4'], dates: [{ kind: 'month', month: 4 }] },
      keep: (p) => withAll(['Person 4'])(p) && p.takenAt?.slice(5, 7) === '04',
      fromFaces: false,
    },
  ];

  beforeAll(() => {
    library = Library.open(path.join(tempDir('facet-people-dates-'), 'lib'));
    const db = library.db;
    const table = imageVectorTable(db, 'm', DIMS);
    db.transaction(() => {
      for (let p = 1; p <= 20; p++) createPerson(db, `Person ${p}`);
      for (let id = 1; id <= PHOTOS; id++) {
        const year = 2000 + ((id * 7 + Math.floor(id / 10)) % 20);
        const takenAt = id % 97 === 0 ? null : `${year}-${String(1 + (id % 12)).padStart(2, '0')}-15T12:00:00`;
        // Everyone's photos spread over the years; every third photo has a second person in it.
        const people = id % 3 === 0 ? [1 + (id % 10), 11 + (id % 7)] : [1 + (id % 10)];
        const photo = { id, takenAt, people, vector: unit(id) };
        photos.push(photo);
        registerIndexedPhoto(db, { id, path: `/p/${id}.jpg`, takenAt });
        registerFaces(
          db,
          id,
          'face-model',
          people.map((personId) => ({ box: [0, 0, 1, 1], score: 1, landmarks: [], quality: 1, personId })),
        );
        writeImageVector(db, table, id, photo.vector);
        markEmbedded(db, id, 'm');
      }
    })();
    // Photos that pass the filters below, made unsearchable: their own vectors are among the queries,
    // so they would be the best hits if their status were not checked.
    for (const c of cases) for (const p of photos.filter(c.keep).slice(0, 2)) missing.add(p.id);
    new PhotoStore(library.db).markMissing([...missing]);
  });
  afterAll(async () => {
    if (!library) return;
    await releaseVectorIndexes(library.db);
    library.close();
  });

  interface Filter {
    people: string[];
    from?: string;
    to?: string;
    dates?: DateFilter[];
  }

  /** The reference: every searchable photo that passes the filter, scored in JS, best first. */
  function bruteForce(query: Float32Array, keep: (p: Photo) => boolean, k: number): number[] {
    return photos
      .filter((p) => !missing.has(p.id) && keep(p))
      .map((p) => ({ id: p.id, score: p.vector.reduce((s, x, d) => s + x * query[d]!, 0) }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, k)
      .map((h) => h.id);
  }

  async function search(query: Float32Array, filter: Filter, k: number): Promise<number[]> {
    const q = {
      ...parseQuery({ text: 'x', limit: k, minScore: -1, people: filter.people, from: filter.from, to: filter.to }),
      dates: filter.dates,
    };
    return (await searchByEmbedding(library, 'm', query, q, -1)).map((h) => h.photoId);
  }

  for (const c of cases) {
    it(`${c.name}: ${c.fromFaces ? 'from the faces index' : 'from the photos'}, equal to scoring every photo`, async () => {
      expect(Boolean(buildPhotoFilter(library.db, { ...c.filter }, null).faces)).toBe(c.fromFaces);
      const seeds = [...photos.filter((p) => missing.has(p.id) && c.keep(p)).map((p) => p.id), 500.5];
      expect(seeds.length).toBeGreaterThan(1);
      for (const seed of seeds) {
        const query = unit(seed);
        expect(bruteForce(query, c.keep, 10).length).toBeGreaterThanOrEqual(3);
        for (const k of [1, 3, 10]) expect(await search(query, c.filter, k)).toEqual(bruteForce(query, c.keep, k));
      }
    });
  }

  it('with more unsearchable photos than the scan should skip, a people + dates filter checks each photo instead', async () => {
    const gone = photos.filter((p) => p.id % 2 === 0 && !missing.has(p.id)).map((p) => p.id); // 1,000 photos more
    new PhotoStore(library.db).markMissing(gone);
    for (const id of gone) missing.add(id);
    const c = cases[0]!;
    for (const seed of [...missing].slice(0, 3)) expect(await search(unit(seed), c.filter, 10)).toEqual(bruteForce(unit(seed), c.keep, 10));
  });
});

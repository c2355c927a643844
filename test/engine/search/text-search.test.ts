import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Library } from '../../../src/engine/library/library';
import type { ClipModel } from '../../../src/engine/ml/clip/clip-model';
import { dot } from '../../../src/engine/ml/vector-math';
import { findImageVectorTable, readImageVector } from '../../../src/engine/library/image-vectors';
import { type SearchQuery, promptFor, searchPhotos } from '../../../src/engine/search/text-search';
import { describeWithShared } from '../../support/shared';
import { type IndexedLibrary, indexSharedPhotos } from './indexed-library';
import { loadTinyClip } from './tiny-clip-model';
import { registerFaces } from '../../../src/engine/library/face-store';
import { createPerson } from '../../../src/engine/library/people-store';
import { registerIndexedPhoto } from '../../../src/engine/library/photo-store';

interface PhotoRow {
  id: number;
  path: string;
  takenAt: string;
  people: string[];
}

describeWithShared('text search end to end: real photos, spine pipeline, tiny CLIP, exact filters', () => {
  let clip: ClipModel;
  let lib: IndexedLibrary;
  let library: Library;
  let photos: PhotoRow[];

  beforeAll(async () => {
    ({ clip } = await loadTinyClip());
    lib = await indexSharedPhotos(clip);
    library = lib.library;
    photos = givePhotosDatesAndPeople(library);
  });
  afterAll(() => library?.close());

  /** The reference: score every photo in JS from its stored vector, filter in JS, sort, cut. */
  async function bruteForce(text: string, keep: (p: PhotoRow) => boolean, limit: number, minScore: number): Promise<number[]> {
    const query = await clip.embedText(promptFor(clip, text));
    const table = findImageVectorTable(library.db, clip.modelId)!;
    return photos
      .filter(keep)
      .map((p) => ({ id: p.id, score: dot(query, readImageVector(library.db, table, p.id)!) }))
      .filter((h) => h.score >= minScore)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((h) => h.id);
  }

  it('indexes every photo once with the CLIP model and records it', () => {
    const embedded = library.db.prepare('SELECT count(*) AS n FROM photo_embeddings WHERE model_id = ?').get(clip.modelId) as { n: number };
    expect(embedded.n).toBe(photos.length);
    expect(photos.length).toBe(84);
  });

  it('"red" returns the reddest photos first (redness measured independently from the files)', async () => {
    const redness = await Promise.all(
      photos.map(async (p) => {
        const [r, g, b] = (await sharp(p.path).stats()).channels.map((c) => c.mean) as [number, number, number];
        return { id: p.id, redness: (r - (g + b) / 2) / Math.max(1, r + g + b) };
      }),
    );
    const reddest = redness
      .sort((a, b) => b.redness - a.redness)
      .slice(0, 10)
      .map((r) => r.id);
    const hits = await searchPhotos(library, clip, { text: 'red', limit: 5 });
    expect(hits.length).toBe(5);
    for (const hit of hits.slice(0, 3)) expect(reddest).toContain(hit.photoId);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    expect(hits[0]!.photo).toBe(photos.find((p) => p.id === hits[0]!.photoId)!.path);
  });

  it('keeps only hits above the model cutoff by default, and a lower --min-score widens the search', async () => {
    const strict = await searchPhotos(library, clip, { text: 'red', limit: 1000 });
    const wide = await searchPhotos(library, clip, { text: 'red', limit: 1000, minScore: -1 });
    expect(strict.every((h) => h.score >= clip.config.defaultMinScore)).toBe(true);
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.length).toBeLessThan(photos.length);
    expect(wide.length).toBe(photos.length);
  });

  const FILTERS: [string, SearchQuery, (p: PhotoRow) => boolean][] = [
    ['one person', { text: 'red', people: ['Ada'] }, (p) => p.people.includes('Ada')],
    ['all of two people', { text: 'red', people: ['ada', 'Bo'] }, (p) => p.people.includes('Ada') && p.people.includes('Bo')],
    [
      'a date range (inclusive)',
      { text: 'blue', from: '2021-03-01', to: '2021-06-30' },
      (p) => p.takenAt >= '2021-03-01' && p.takenAt.slice(0, 10) <= '2021-06-30',
    ],
    ['a folder', { text: 'green' }, () => true],
    [
      'person and dates together',
      { text: 'yellow', people: ['Ada'], from: '2020-06-01', to: '2021-12-31' },
      (p) => p.people.includes('Ada') && p.takenAt >= '2020-06-01' && p.takenAt.slice(0, 10) <= '2021-12-31',
    ],
  ];

  it.each(FILTERS)('filters by %s exactly (same set and order as a brute-force scan)', async (_name, query, keep) => {
    const folderQuery = _name === 'a folder' ? { ...query, folder: lib.captionsDir } : query;
    const keepFolder = _name === 'a folder' ? (p: PhotoRow) => p.path.startsWith(lib.captionsDir + path.sep) : keep;
    const hits = await searchPhotos(library, clip, { ...folderQuery, limit: 7, minScore: -1 });
    const expected = await bruteForce(query.text ?? '', keepFolder, 7, -1);
    expect(expected.length).toBeGreaterThan(0);
    expect(hits.map((h) => h.photoId)).toEqual(expected);
  });

  it('does not lose matches of a selective filter to a top-k taken before filtering', async () => {
    const unfiltered = await searchPhotos(library, clip, { text: 'red', limit: 10, minScore: -1 });
    const ada = photos.filter((p) => p.people.includes('Ada')).map((p) => p.id);
    expect(unfiltered.some((h) => ada.includes(h.photoId))).toBe(false); // Ada is in the least red photos
    const filtered = await searchPhotos(library, clip, { text: 'red', people: ['Ada'], limit: 10, minScore: -1 });
    expect(filtered.map((h) => h.photoId).sort()).toEqual([...ada].sort());
  });

  it('sorts by date when asked, newest first, over the same relevant set', async () => {
    const byRelevance = await searchPhotos(library, clip, { text: 'blue', limit: 10 });
    const byDate = await searchPhotos(library, clip, { text: 'blue', limit: 10, sort: 'date' });
    expect(byDate.map((h) => h.photoId).sort()).toEqual(byRelevance.map((h) => h.photoId).sort());
    const dates = byDate.map((h) => h.takenAt!);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('rejects bad input with clear messages', async () => {
    await expect(searchPhotos(library, clip, { text: '   ' })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('empty'),
    });
    await expect(searchPhotos(library, clip, { text: 'red', people: ['Nobody'] })).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('Ada'),
    });
    await expect(searchPhotos(library, clip, { text: 'red', from: '2022-01-01', to: '2021-01-01' })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('inverted'),
    });
    await expect(searchPhotos(library, clip, { text: 'red', tag: 'no-such-tag' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('truncates a 500-word query to the context length instead of failing', async () => {
    const long = `red ${Array.from({ length: 499 }, () => 'flower').join(' ')}`;
    const hits = await searchPhotos(library, clip, { text: long, limit: 3 });
    const short = await searchPhotos(library, clip, { text: 'red flower', limit: 3 });
    expect(hits.map((h) => h.photoId)).toEqual(short.map((h) => h.photoId));
  });
});

/**
 * Gives every photo a capture date and names two people on the LEAST red photos (so a person filter
 * must reach past the unfiltered top-k). The spine and people engineers fill these for real photos;
 * these test photos have no EXIF dates and no named faces.
 */
function givePhotosDatesAndPeople(library: Library): PhotoRow[] {
  const db = library.db;
  // Spread over two years by id, through the store's "a later index run dated it" path.
  for (const { id, path: file } of db.prepare('SELECT id, path FROM photos').all() as { id: number; path: string }[]) {
    const takenAt = new Date(Date.UTC(2020, 0, 1) + ((id * 37) % 730) * 86_400_000 + (id % 24) * 3_600_000).toISOString().slice(0, 19);
    registerIndexedPhoto(db, { path: file, takenAt }, 'redate');
  }
  const ada = createPerson(db, 'Ada');
  const bo = createPerson(db, 'Bo');
  const rows = db.prepare("SELECT id, path, taken_at AS takenAt FROM photos WHERE status = 'indexed' ORDER BY id").all() as PhotoRow[];
  const table = findImageVectorTable(db, 'tiny-clip-colours')!;
  // Redness in the tiny model's space is its first coordinate.
  const leastRed = rows
    .map((r) => ({ id: r.id, red: readImageVector(db, table, r.id)![0]! }))
    .sort((a, b) => a.red - b.red)
    .slice(0, 8)
    .map((r) => r.id);
  const face = (photoId: number, personId: number) =>
    registerFaces(db, photoId, 'test', [
      { box: [0, 0, 10, 10], score: 0.9, landmarks: [], quality: 0.9, personId, assignment: 'confirmed' },
    ]);
  leastRed.forEach((id, i) => {
    face(id, ada);
    if (i % 2 === 0) face(id, bo);
  });
  face(rows[0]!.id, bo); // Bo alone somewhere: "Ada and Bo" must not include it
  return rows.map((r) => ({
    ...r,
    people: [
      ...(leastRed.includes(r.id) ? ['Ada'] : []),
      ...(leastRed.indexOf(r.id) % 2 === 0 ? ['Bo'] : []),
      ...(r.id === rows[0]!.id ? ['Bo'] : []),
    ].filter((v, i, a) => a.indexOf(v) === i),
  }));
}

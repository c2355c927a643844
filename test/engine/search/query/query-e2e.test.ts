import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FileInfo } from '../../../../src/common/api/library';
import { Engine } from '../../../../src/engine/engine';
import { indexFolders } from '../../../../src/engine/indexing/index-folders';
import { Library } from '../../../../src/engine/library/library';
import type { ClipModel } from '../../../../src/engine/ml/clip/clip-model';
import { geocodePendingPhotos } from '../../../../src/engine/places/geocode-photos';
import { listPlaces } from '../../../../src/engine/places/list-places';
import { createClipAnalyzer } from '../../../../src/engine/analyzers/clip-stage';
import { interpretText, searchPhotos } from '../../../../src/engine/search/text-search';
import { parseJson, runFacet } from '../../../support/cli';
import { describeWithShared } from '../../../support/shared';
import { tempDir } from '../../../support/temp';
import { loadTinyClip } from '../tiny-clip-model';
import { HAEUNDAE, TODAY, namePeople, writeGeoPhotos } from './geo-album';

describeWithShared('search queries end to end: real photos with EXIF dates and GPS, real SQLite, tiny CLIP', () => {
  let root: string;
  let library: Library;
  let clip: ClipModel;
  const noClip = () => Promise.reject(new Error('CLIP must not be loaded for a query of filters only'));
  const names = (hits: { photo: string }[]) => hits.map((h) => path.basename(h.photo));
  const search = (text: string, extra: Record<string, unknown> = {}) => searchPhotos(library, noClip, { text, today: TODAY, ...extra });

  beforeAll(async () => {
    root = tempDir('facet-query-e2e-');
    const folder = path.join(root, 'photos');
    await writeGeoPhotos(folder);
    ({ clip } = await loadTinyClip());
    library = Library.open(path.join(root, 'library'));
    const result = await indexFolders({ library, folders: [folder], analyzers: [createClipAnalyzer(library, clip)], faceModelId: null });
    expect(result.failed).toBe(0);
    geocodePendingPhotos(library);
    namePeople(library, folder);
  }, 120_000);
  afterAll(() => library?.close());

  it('reverse-geocodes GPS offline: Haeundae beach is in Busan, the Eiffel Tower in Paris, Sydney is in Australia', () => {
    const rows = library.db
      .prepare('SELECT p.path, pl.city, pl.country FROM photo_places pl JOIN photos p ON p.id = pl.photo_id ORDER BY p.path')
      .all() as { path: string; city: string; country: string }[];
    expect(rows.map((r) => [path.basename(r.path), r.city, r.country])).toEqual([
      ['a-busan-2025.jpg', 'Busan', 'KR'],
      ['b-busan-2026.jpg', 'Busan', 'KR'],
      ['c-seoul.jpg', 'Seoul', 'KR'],
      ['d-paris.jpg', 'Paris', 'FR'],
      ['e-sydney-january.jpg', 'Sydney', 'AU'],
      ['f-sydney-july.jpg', 'Sydney', 'AU'],
      ['j-tokyo-2019.jpg', 'Tokyo', 'JP'],
    ]);
  });

  it('lists places with counts and the newest photo as cover, in English and Korean', () => {
    const idOf = (file: string) => (library.db.prepare('SELECT id FROM photos WHERE path LIKE ?').get(`%/${file}`) as { id: number }).id;
    expect(listPlaces(library.db).map((p) => [p.kind, p.name, p.nameKo, p.photos, p.coverPhotoId])).toEqual([
      ['country', 'South Korea', '대한민국', 3, idOf('b-busan-2026.jpg')],
      ['country', 'Australia', '호주', 2, idOf('e-sydney-january.jpg')],
      ['city', 'Busan', '부산', 2, idOf('b-busan-2026.jpg')],
      ['city', 'Sydney', '시드니', 2, idOf('e-sydney-january.jpg')],
      ['country', 'France', '프랑스', 1, idOf('d-paris.jpg')],
      ['country', 'Japan', '일본', 1, idOf('j-tokyo-2019.jpg')],
      ['city', 'Paris', '파리', 1, idOf('d-paris.jpg')],
      ['city', 'Seoul', '서울', 1, idOf('c-seoul.jpg')],
      ['city', 'Tokyo', '도쿄', 1, idOf('j-tokyo-2019.jpg')],
    ]);
  });

  it('a person alone needs no CLIP model and answers newest first', async () => {
    expect(names(await search('Mina Kim'))).toEqual(['b-busan-2026.jpg', 'a-busan-2025.jpg', 'd-paris.jpg']);
  });

  it('"작년 여름 부산에서 민지": last year\'s summer, in Busan, with 김민지', async () => {
    expect(names(await search('작년 여름 부산에서 민지'))).toEqual(['a-busan-2025.jpg']);
  });

  it('"summer 2025" is June–August in Busan but December–February in Sydney (per photo hemisphere)', async () => {
    expect(names(await search('summer 2025'))).toEqual(['e-sydney-january.jpg', 'a-busan-2025.jpg']);
  });

  it('"last summer", "yesterday", "3 years ago", "in July 2021" are relative to the given today', async () => {
    // each photo in its own hemisphere: July 2026 in Busan, but January 2026 (Dec 2025 – Feb 2026) in Sydney
    expect(names(await search('last summer'))).toEqual(['b-busan-2026.jpg', 'e-sydney-january.jpg']);
    expect(names(await search('Sydney last summer'))).toEqual(['e-sydney-january.jpg']);
    expect(names(await search('yesterday'))).toEqual(['g-yesterday.jpg']);
    expect(names(await search('3 years ago'))).toEqual(['i-2023.jpg']);
    expect(names(await search('in July 2021'))).toEqual(['d-paris.jpg']);
    expect(names(await search('3월'))).toEqual(['i-2023.jpg']);
  });

  it('two dates match either, as two places do; a season with a year still narrows to that year', async () => {
    expect(names(await search('2019 2021'))).toEqual(['d-paris.jpg', 'j-tokyo-2019.jpg']);
    expect(names(await search('summer winter'))).toEqual([
      'b-busan-2026.jpg',
      'e-sydney-january.jpg',
      'a-busan-2025.jpg',
      'f-sydney-july.jpg',
      'd-paris.jpg',
    ]);
    expect(names(await search('Busan Paris 2021 2025'))).toEqual(['a-busan-2025.jpg', 'd-paris.jpg']);
    expect(names(await search('summer in 2025'))).toEqual(['a-busan-2025.jpg']);
    expect(names(await search('since 2020 before 2022'))).toEqual(['d-paris.jpg']);
  });

  it('"2019–2021" and "Tokyo" / "France" / "대한민국" / "부산"', async () => {
    expect(names(await search('2019–2021'))).toEqual(['d-paris.jpg', 'j-tokyo-2019.jpg']);
    expect(names(await search('Tokyo'))).toEqual(['j-tokyo-2019.jpg']);
    expect(names(await search('France'))).toEqual(['d-paris.jpg']);
    expect(names(await search('대한민국'))).toEqual(['b-busan-2026.jpg', 'c-seoul.jpg', 'a-busan-2025.jpg']);
    expect(names(await search('부산'))).toEqual(['b-busan-2026.jpg', 'a-busan-2025.jpg']);
  });

  it('flags combine with what the query says: --person and --to narrow "Busan"', async () => {
    expect(names(await search('Busan', { people: ['김민지'] }))).toEqual(['a-busan-2025.jpg']);
    expect(names(await search('Busan', { to: '2025-12-31' }))).toEqual(['a-busan-2025.jpg']);
  });

  it('a visual remainder goes to CLIP within the filters: "red in Korea" ranks the red dog in Seoul first', async () => {
    let loaded = 0;
    const hits = await searchPhotos(library, () => (loaded++, Promise.resolve(clip)), { text: 'red in Korea', today: TODAY, minScore: -1 });
    expect(loaded).toBe(1);
    expect(names(hits)[0]).toBe('c-seoul.jpg');
    expect(new Set(names(hits))).toEqual(new Set(['a-busan-2025.jpg', 'b-busan-2026.jpg', 'c-seoul.jpg']));
  });

  it('"Mina" matches two people: the one with more photos is used, the other offered', async () => {
    const reading = interpretText(library.db, 'Mina', TODAY);
    expect(reading.people).toEqual([{ name: 'Mina Kim', words: 'Mina', alternatives: ['Mina Park'] }]);
    expect(names(await search('Mina'))).toEqual(['b-busan-2026.jpg', 'a-busan-2025.jpg', 'd-paris.jpg']);
  });

  it('"February 30" is a typo with a warning, never a crash; stop words alone get a clear message', async () => {
    expect(interpretText(library.db, 'February 30', TODAY).warnings).toEqual([
      'February has no day 30: read as a typo, searching all of February.',
    ]);
    expect(await search('February 30')).toEqual([]);
    await expect(search('photos of the')).rejects.toThrow(/has only words like "the" or "photos of"/);
  });

  it('places of photos indexed before places existed are filled in when the library is opened', () => {
    library.db.exec('DELETE FROM photo_places');
    const engine = Engine.open({ libraryDir: path.join(root, 'library') });
    try {
      expect(engine.library.db.prepare('SELECT count(*) AS n FROM photo_places WHERE city IS NOT NULL').get()).toEqual({ n: 7 });
    } finally {
      engine.close();
    }
  });

  it('the CLI: files --json has "place", and search --explain answers with no CLIP model installed', async () => {
    const env = { FACET_MODELS_DIR: tempDir('facet-no-models-') };
    const files = parseJson<FileInfo[]>(await runFacet(['files', '--json', '--library', path.join(root, 'library')], { env }));
    const byName = new Map(files.map((f) => [path.basename(f.path), f]));
    expect(byName.get('a-busan-2025.jpg')!.place).toEqual({
      lat: expect.closeTo(HAEUNDAE.lat, 4),
      lon: expect.closeTo(HAEUNDAE.lon, 4),
      city: 'Busan',
      country: 'South Korea',
    });
    expect(byName.get('h-no-exif.jpg')!.place).toBeNull();
    const run = await runFacet(
      ['search', 'Mina at the beach in Busan last summer', '--explain', '--today', TODAY, '--library', path.join(root, 'library')],
      { env },
    );
    expect(run.stderr).toContain('"Mina" could be Mina Kim or Mina Park: searching Mina Kim');
    expect(run.code).not.toBe(0); // "beach" is visual: without a CLIP model it says how to get one
    expect(run.stderr).toMatch(/No CLIP model is installed/);
    const filtersOnly = await runFacet(
      ['search', 'Mina in Busan last summer', '--explain', '--today', TODAY, '--library', path.join(root, 'library')],
      { env },
    );
    expect(filtersOnly.code).toBe(0);
    expect(filtersOnly.stdout).toContain('person  Mina Kim  (from "Mina"; also matches Mina Park)');
    expect(filtersOnly.stdout).toContain('place   Busan  (from "in Busan")');
    expect(filtersOnly.stdout).toContain(
      'date    last summer  (summer 2026 in the northern hemisphere, summer 2025 in the southern; from "last summer")',
    );
    expect(filtersOnly.stdout).toContain('b-busan-2026.jpg');
    // filters given as flags are part of the reading too
    const flagged = await runFacet(
      [
        'search',
        'Busan',
        '--person',
        '김민지',
        '--from',
        '2025-01-01',
        '--text',
        'open',
        '--explain',
        '--today',
        TODAY,
        '--library',
        path.join(root, 'library'),
      ],
      { env },
    );
    expect(flagged.stdout).toContain(
      '  place   Busan  (from "Busan")\n  person  김민지  (from --person)\n  date    from 2025-01-01  (from --from)\n  text    “open”  (from --text)\n',
    );
    expect(filtersOnly.stdout).not.toContain('a-busan-2025.jpg');
    const json = parseJson<{
      query: { people: { name: string }[]; places: { name: string }[]; dates: unknown[]; visual: string };
      results: { photo: string }[];
    }>(
      await runFacet(
        ['search', '작년 여름 부산에서 민지', '--explain', '--json', '--today', TODAY, '--library', path.join(root, 'library')],
        { env },
      ),
    );
    expect(json.query).toMatchObject({
      people: [{ name: '김민지' }],
      places: [{ name: 'Busan' }],
      dates: [{ kind: 'season', season: 'summer', year: 2025 }],
      visual: '',
    });
    expect(json.results.map((r) => path.basename(r.photo))).toEqual(['a-busan-2025.jpg']);
    // a place with no photos in the library is not a CLIP question: "No photos taken in London"
    for (const [query, place] of [
      ['London', 'London'],
      ['뉴욕', 'New York City'],
      ['south africa', 'South Africa'],
    ]) {
      const nowhere = await runFacet(['search', query!, '--library', path.join(root, 'library')], { env });
      expect(nowhere.code).not.toBe(0);
      expect(nowhere.stderr).toContain(`No photos taken in ${place}:`);
      expect(nowhere.stderr).not.toMatch(/CLIP/);
    }
    const look = await runFacet(['search', 'London bus', '--library', path.join(root, 'library')], { env });
    expect(look.stderr).toMatch(/No CLIP model is installed/); // more than a place: the words are visual
    const stop = await runFacet(['search', 'photos of the', '--library', path.join(root, 'library')], { env });
    expect(stop.code).not.toBe(0);
    expect(stop.stderr).toMatch(/has only words like "the" or "photos of"/);
  }, 120_000);
});

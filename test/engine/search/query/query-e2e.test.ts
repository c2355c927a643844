import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FileInfo } from '../../../../src/common/api/library';
import { Engine } from '../../../../src/engine/engine';
import { indexFolders } from '../../../../src/engine/indexing/index-folders';
import { Library } from '../../../../src/engine/library/library';
import type { ClipModel } from '../../../../src/engine/ml/clip/clip-model';
import { geocodePendingPhotos } from '../../../../src/engine/places/geocode-photos';
import { createClipAnalyzer } from '../../../../src/engine/analyzers/clip-stage';
import { interpretText, searchPhotos } from '../../../../src/engine/search/text-search';
import { parseJson, runFacet } from '../../../support/cli';
import { describeWithShared, sharedPhotos } from '../../../support/shared';
import { tempDir } from '../../../support/temp';
import { loadTinyClip } from '../tiny-clip-model';

const TODAY = '2026-11-27';
const HAEUNDAE = { lat: 35.1587, lon: 129.1604 }; // Busan's beach: nearest GeoNames point is the Dongnae district
const BUSAN_PORT = { lat: 35.1028, lon: 129.0403 };
const SEOUL = { lat: 37.5665, lon: 126.978 };
const EIFFEL = { lat: 48.8584, lon: 2.2945 };
const SYDNEY = { lat: -33.8568, lon: 151.2153 };
const TOKYO = { lat: 35.6895, lon: 139.6917 };

/** Real photos from ../shared, copied with the EXIF date and GPS each test needs (written by sharp, read back by exifr). */
const PHOTOS: Record<string, { from: string; date?: string; gps?: { lat: number; lon: number } }> = {
  'a-busan-2025.jpg': { from: 'beach_sand.jpg', date: '2025:08:10 11:00:00', gps: HAEUNDAE },
  'b-busan-2026.jpg': { from: 'palms_beach.jpg', date: '2026:07:20 16:30:00', gps: BUSAN_PORT },
  'c-seoul.jpg': { from: 'dog_toshi_red.jpg', date: '2025:11:03 09:00:00', gps: SEOUL },
  'd-paris.jpg': { from: 'building_mono.jpg', date: '2021:07:04 20:00:00', gps: EIFFEL },
  'e-sydney-january.jpg': { from: 'ocean_cyan.jpg', date: '2026:01:15 12:00:00', gps: SYDNEY },
  'f-sydney-july.jpg': { from: 'jellyfish_blue.jpg', date: '2025:07:10 12:00:00', gps: SYDNEY },
  'g-yesterday.jpg': { from: 'cat_black.jpg', date: '2026:11:26 18:00:00' },
  'h-no-exif.jpg': { from: 'dog_orange.jpg' },
  'i-2023.jpg': { from: 'limes.jpg', date: '2023:03:05 10:00:00' },
  'j-tokyo-2019.jpg': { from: 'coin_gold.jpg', date: '2019:05:05 10:00:00', gps: TOKYO },
};
const PEOPLE: Record<string, string[]> = {
  'Mina Kim': ['a-busan-2025.jpg', 'b-busan-2026.jpg', 'd-paris.jpg'],
  김민지: ['a-busan-2025.jpg', 'c-seoul.jpg', 'e-sydney-january.jpg'],
  'Mina Park': ['i-2023.jpg'],
};

function gpsExif(gps: { lat: number; lon: number }) {
  const dms = (v: number) => {
    const a = Math.abs(v);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    return `${d}/1 ${m}/1 ${Math.round(((a - d) * 60 - m) * 60 * 10000)}/10000`;
  };
  return { GPSLatitudeRef: gps.lat < 0 ? 'S' : 'N', GPSLatitude: dms(gps.lat), GPSLongitudeRef: gps.lon < 0 ? 'W' : 'E', GPSLongitude: dms(gps.lon) };
}

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
    fs.mkdirSync(folder);
    for (const [name, spec] of Object.entries(PHOTOS)) {
      const exif = { ...(spec.date ? { IFD2: { DateTimeOriginal: spec.date } } : {}), ...(spec.gps ? { IFD3: gpsExif(spec.gps) } : {}) };
      const image = sharp(sharedPhotos('objects', spec.from));
      await (spec.date || spec.gps ? image.withExif(exif) : image).jpeg().toFile(path.join(folder, name));
    }
    ({ clip } = await loadTinyClip());
    library = Library.open(path.join(root, 'library'));
    const result = await indexFolders({ library, folders: [folder], analyzers: [createClipAnalyzer(library, clip)], faceModelId: null });
    expect(result.failed).toBe(0);
    geocodePendingPhotos(library);
    // Faces of named people, as naming a cluster leaves them (face detection is tested elsewhere).
    for (const [person, files] of Object.entries(PEOPLE)) {
      const personId = Number(library.db.prepare('INSERT INTO people (name) VALUES (?)').run(person).lastInsertRowid);
      for (const file of files) {
        const photoId = (library.db.prepare('SELECT id FROM photos WHERE path = ?').get(path.join(folder, file)) as { id: number }).id;
        library.db
          .prepare("INSERT INTO faces (photo_id, model_id, box_x, box_y, box_w, box_h, score, landmarks, quality, person_id, assignment) VALUES (?, 'test', 0, 0, 10, 10, 0.9, '[]', 1, ?, 'confirmed')")
          .run(photoId, personId);
      }
    }
  }, 120_000);
  afterAll(() => library?.close());

  it('reverse-geocodes GPS offline: Haeundae beach is in Busan, the Eiffel Tower in Paris, Sydney is in Australia', () => {
    const rows = library.db.prepare('SELECT p.path, pl.city, pl.country FROM photo_places pl JOIN photos p ON p.id = pl.photo_id ORDER BY p.path').all() as { path: string; city: string; country: string }[];
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
    expect(names(await search('last summer'))).toEqual(['b-busan-2026.jpg']);
    expect(names(await search('yesterday'))).toEqual(['g-yesterday.jpg']);
    expect(names(await search('3 years ago'))).toEqual(['i-2023.jpg']);
    expect(names(await search('in July 2021'))).toEqual(['d-paris.jpg']);
    expect(names(await search('3월'))).toEqual(['i-2023.jpg']);
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
    expect(interpretText(library.db, 'February 30', TODAY).warnings).toEqual(['February has no day 30: read as a typo, searching all of February.']);
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
    expect(byName.get('a-busan-2025.jpg')!.place).toEqual({ lat: expect.closeTo(HAEUNDAE.lat, 4), lon: expect.closeTo(HAEUNDAE.lon, 4), city: 'Busan', country: 'South Korea' });
    expect(byName.get('h-no-exif.jpg')!.place).toBeNull();
    const run = await runFacet(['search', 'Mina at the beach in Busan last summer', '--explain', '--today', TODAY, '--library', path.join(root, 'library')], { env });
    expect(run.stderr).toContain('"Mina" could be Mina Kim or Mina Park: searching Mina Kim');
    expect(run.code).not.toBe(0); // "beach" is visual: without a CLIP model it says how to get one
    expect(run.stderr).toMatch(/No CLIP model is installed/);
    const filtersOnly = await runFacet(['search', 'Mina in Busan last summer', '--explain', '--today', TODAY, '--library', path.join(root, 'library')], { env });
    expect(filtersOnly.code).toBe(0);
    expect(filtersOnly.stdout).toContain('person  Mina Kim  (from "Mina"; also matches Mina Park)');
    expect(filtersOnly.stdout).toContain('place   Busan  (from "in Busan")');
    expect(filtersOnly.stdout).toContain('date    summer 2026  (from "last summer")');
    expect(filtersOnly.stdout).toContain('b-busan-2026.jpg');
    expect(filtersOnly.stdout).not.toContain('a-busan-2025.jpg');
  }, 120_000);
});

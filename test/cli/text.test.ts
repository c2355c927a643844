import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, expect, it } from 'vitest';
import type { PhotoText } from '../../src/common/api/text';
import type { IndexTextSummary } from '../../src/cli/index-text-summary';
import { TextStore } from '../../src/engine/library/text-store';
import { generateTextPhotos, type TextPhoto } from '../../bench/text-photos';
import { parseJson, runFacet } from '../support/cli';
import { describeWithShared, SHARED_MODELS, sharedPhotos } from '../support/shared';
import { tempDir } from '../support/temp';
import { SIGN_BACKGROUNDS } from '../engine/ml/ocr/ocr-support';

interface Hit {
  photo: string;
  score: number;
}

describeWithShared('text in photos: index, search and `facet text` through the real CLI', () => {
  const work = tempDir('facet-ocr-index-');
  const library = path.join(work, 'library');
  const folder = path.join(work, 'photos');
  const portrait = path.join(folder, 'portrait.png');
  const broken = path.join(folder, 'broken.jpg');
  let photos: TextPhoto[];
  let firstRun: { indexed: number; text: IndexTextSummary };
  const facet = (...args: string[]) => runFacet([...args, '--library', library, '--models', SHARED_MODELS]);

  beforeAll(async () => {
    photos = await generateTextPhotos({
      backgrounds: SIGN_BACKGROUNDS,
      target: folder,
      perScript: { latin: 3, digits: 1 },
      distractors: 2,
      seed: 7,
    });
    fs.copyFileSync(sharedPhotos('astronaut.png'), portrait);
    fs.writeFileSync(broken, 'not a photo, only named like one');
    const run = await facet('index', folder, '--json');
    expect(run.code, run.stderr).toBe(0);
    firstRun = parseJson(run);
  });

  it('`facet index --json` says what its text job did: every new photo checked, text found in the signs', () => {
    const signs = photos.filter((p) => p.text).length;
    const indexed = photos.length + 1; // and the portrait; the broken file is not a photo
    expect(firstRun.indexed).toBe(indexed);
    expect(firstRun.text).toMatchObject({ reading: true, job: { state: 'done', error: null }, checked: indexed, failed: 0, pending: 0 });
    expect(firstRun.text.found).toBeGreaterThanOrEqual(signs);
    expect(firstRun.text.found).toBeLessThan(indexed); // the portrait has none
    expect(firstRun.text.withText).toBe(firstRun.text.found); // a new library: all of it found by this run
  });

  it('`facet index` reads text in its follow-up job, and `facet search --text` finds each sign without any CLIP model', async () => {
    for (const photo of photos.filter((p) => p.text)) {
      const hits = parseJson<Hit[]>(await facet('search', '--text', photo.query!.toLowerCase(), '--json'));
      expect(hits[0]?.photo, photo.query!).toBe(photo.file);
    }
  });

  it('tolerates an OCR slip in the query side too, and combines with other filters', async () => {
    const word = photos.find((p) => p.script === 'latin' && p.query!.length >= 6)!;
    const typo = word.query!.slice(0, 2) + word.query!.slice(3); // one letter missing
    expect(parseJson<Hit[]>(await facet('search', '--text', typo, '--json')).map((h) => h.photo)).toContain(word.file);
    expect(parseJson<Hit[]>(await facet('search', '--text', word.query!, '--folder', folder, '--json'))[0]?.photo).toBe(word.file);
    expect(parseJson<Hit[]>(await facet('search', '--text', word.query!, '--folder', sharedPhotos('objects'), '--json'))).toEqual([]);
    expect(parseJson<Hit[]>(await facet('search', '--text', word.query!, '--from', '2999-01-01', '--json'))).toEqual([]);
  });

  it('`facet text <photo> --json` lists the recognised lines with boxes; a photo without text says so', async () => {
    const sign = photos.find((p) => p.script === 'latin')!;
    const text = parseJson<PhotoText>(await facet('text', sign.file, '--json'));
    expect(text.state).toBe('read');
    expect(text.photo).toBe(sign.file);
    expect(
      text.lines
        .map((l) => l.text)
        .join(' ')
        .toLowerCase(),
    ).toContain(sign.query!.toLowerCase().slice(0, 4));
    for (const line of text.lines) {
      expect(line.box).toHaveLength(4);
      expect(line.box[2]).toBeGreaterThan(0);
      expect(line.quad).toHaveLength(4);
      expect(line.confidence).toBeGreaterThan(0.5);
    }
    const none = parseJson<PhotoText>(await facet('text', portrait, '--json'));
    expect(none).toMatchObject({ state: 'none', lines: [] });
    const human = await facet('text', portrait);
    expect(human.stdout).toContain('No text found');
  });

  it('photos without text skip the full read (only the low-resolution check ran)', () => {
    const db = new Database(path.join(library, 'facet.db'), { readonly: true });
    try {
      const state = db
        .prepare('SELECT s.state, s.regions FROM photo_text_scans s JOIN photos p ON p.id = s.photo_id WHERE p.path = ?')
        .get(portrait);
      expect(state).toEqual({ state: 'none', regions: 0 });
    } finally {
      db.close();
    }
  });

  it('bad input: an unknown photo, and a query with nothing to look for, are clear errors', async () => {
    const unknown = await facet('text', path.join(work, 'nope.jpg'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('does not know the photo');
    // A photo indexing could not read is never read for text either: it says so, not "not read yet".
    const failed = await facet('text', broken, '--json');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('could not read this photo');
    const empty = await facet('search', '--text', '...', '--json');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no letters or digits');
  });

  it('photos indexed before text search existed are backfilled by the next `facet index`, unless it runs with --no-text', async () => {
    const db = new Database(path.join(library, 'facet.db'));
    const texts = new TextStore(db);
    for (const id of db.prepare('SELECT id FROM photos').pluck().all() as number[]) texts.forget(id);
    db.close();
    const sign = photos.find((p) => p.script === 'digits')!;
    expect(parseJson<Hit[]>(await facet('search', '--text', sign.query!, '--json'))).toEqual([]);
    const off = await facet('index', folder, '--no-text', '--json');
    expect(off.code, off.stderr).toBe(0);
    expect(parseJson<{ text: IndexTextSummary }>(off).text).toMatchObject({ reading: false, job: null, checked: 0, found: 0 });
    expect(parseJson<Hit[]>(await facet('search', '--text', sign.query!, '--json'))).toEqual([]);
    const run = await facet('index', folder);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('indexed 0,');
    // The text job ran in the foreground after the (empty) index run, over every photo.
    expect(run.stderr).toContain(`done: backfill-text text in photos: ${photos.length + 1}/${photos.length + 1}`);
    expect(parseJson<Hit[]>(await facet('search', '--text', sign.query!, '--json'))[0]?.photo).toBe(sign.file);
    // Nothing left to do: a further run queues no text job.
    const again = parseJson<{ text: IndexTextSummary }>(await facet('index', folder, '--json'));
    expect(again.text).toMatchObject({ reading: true, job: null, checked: 0, found: 0, pending: 0 });
    expect(again.text.withText).toBeGreaterThan(0);
  });
});

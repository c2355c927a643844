import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine';
import { TEXT_CHECK_DIR, TEXT_CHECK_MAX_LONG_SIDE, textCheckImagePath } from '../../../src/engine/imaging/text-check-image';
import { libraryPaths } from '../../../src/engine/library/paths';
import { generateTextPhotos, type TextPhoto } from '../../../bench/text-photos';
import { describeWithShared, SHARED_MODELS } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { canMountTmpfs, mountTmpfs, unmount } from '../../hardening/support/system';
import { SIGN_BACKGROUNDS } from '../ml/ocr/ocr-support';
import { killWhen } from './support';

/**
 * The text job's check reads the small image the index run kept from its decode (text-check-image.ts)
 * instead of decoding the original again; each is deleted once used, and none outlives the job, text
 * reading being turned off, or a killed run. Without one (an older library, a full disk) the check
 * decodes the original as before.
 */
describeWithShared('jobs: the text check reads the image the index run kept', { timeout: 300_000 }, () => {
  const work = tempDir('facet-text-check-');
  const folder = path.join(work, 'photos');
  let photos: TextPhoto[];
  const mounts: string[] = [];

  beforeAll(async () => {
    photos = await generateTextPhotos({ backgrounds: SIGN_BACKGROUNDS, target: folder, perScript: { latin: 4 }, distractors: 6, seed: 21 });
  });
  afterAll(() => mounts.forEach(unmount));

  const open = (library: string, options: { readText?: boolean } = {}) =>
    Engine.open({ libraryDir: library, modelsDir: SHARED_MODELS, device: 'cpu', ...options });
  const checkDir = (library: string) => path.join(libraryPaths(library).thumbnails, TEXT_CHECK_DIR);
  /** Check images on disk (temporaries of a killed write included), by photo id. */
  const checkImages = (library: string): string[] =>
    fs.existsSync(checkDir(library))
      ? (fs.readdirSync(checkDir(library), { recursive: true }) as string[]).filter((f) => f.includes('.jpg'))
      : [];
  const idOf = (engine: Engine, file: string) =>
    engine.library.db.prepare('SELECT id FROM photos WHERE path = ?').pluck().get(file) as number;
  const found = async (engine: Engine, photo: TextPhoto) => {
    const hits = await engine.call('search.query', { photoText: [photo.query!], limit: 5 });
    if (!hits.ok) throw new Error(hits.error.message);
    return hits.value.some((h) => h.photo === photo.file);
  };
  const signs = () => photos.filter((p) => p.text);

  it('index writes one per photo; the job checks from it (a blank one hides a sign), deletes each, and leaves no folder', async () => {
    const library = path.join(work, 'checked');
    const engine = open(library);
    try {
      await engine.index([folder]);
      const thumbnails = engine.library.paths.thumbnails;
      const ids = photos.map((p) => idOf(engine, p.file));
      expect(checkImages(library).sort()).toEqual(
        ids.map((id) => path.relative(checkDir(library), textCheckImagePath(thumbnails, id))).sort(),
      );
      // The analysis decode of these 1,600 px photos, shrunk to the check image's size.
      const meta = await sharp(textCheckImagePath(thumbnails, ids[0]!)).metadata();
      expect([meta.format, Math.max(meta.width!, meta.height!)]).toEqual(['jpeg', TEXT_CHECK_MAX_LONG_SIDE]);

      // What the check looks at is the check image, not the original: a blank one in place of a
      // sign's makes the check see no text there, so its word is not found; the other signs are.
      const [hidden, ...shown] = signs();
      const blank = textCheckImagePath(thumbnails, idOf(engine, hidden!.file));
      await sharp({ create: { width: 512, height: 384, channels: 3, background: '#808080' } })
        .jpeg()
        .toFile(blank);

      await engine.runJobs({ kinds: ['backfill-text'] });
      expect(await found(engine, hidden!)).toBe(false);
      for (const sign of shown) expect(await found(engine, sign), sign.query!).toBe(true);
      expect(fs.existsSync(checkDir(library))).toBe(false);
    } finally {
      engine.close();
    }
  });

  it('a library without check images (indexed before them, or with text reading off) is checked from the originals', async () => {
    const library = path.join(work, 'older');
    const engine = open(library, { readText: false });
    try {
      await engine.index([folder]);
      expect(fs.existsSync(checkDir(library))).toBe(false); // reading off: none written
    } finally {
      engine.close();
    }
    const reopened = open(library);
    try {
      expect(await reopened.call('text.setReading', { enabled: true })).toEqual({ ok: true, value: { enabled: true } });
      await reopened.runJobs({ kinds: ['backfill-text'] });
      for (const sign of signs()) expect(await found(reopened, sign), sign.query!).toBe(true);
      expect(fs.existsSync(checkDir(library))).toBe(false);
    } finally {
      reopened.close();
    }
  });

  it('turning text reading off removes them, and an index run with it off removes those of an earlier run', async () => {
    const library = path.join(work, 'turned-off');
    const engine = open(library);
    try {
      await engine.index([folder]); // the text job stays queued
      expect(checkImages(library)).toHaveLength(photos.length);
      expect(await engine.call('text.setReading', { enabled: false })).toEqual({ ok: true, value: { enabled: false } });
      expect(fs.existsSync(checkDir(library))).toBe(false);
    } finally {
      engine.close();
    }
    // `facet index --no-text` on a library whose earlier run kept them (the photos may change while
    // reading is off, and their check images must not be read for the new content later).
    const other = path.join(work, 'no-text-run');
    const first = open(other);
    try {
      await first.index([folder]);
      expect(checkImages(other)).toHaveLength(photos.length);
    } finally {
      first.close();
    }
    const second = open(other, { readText: false });
    try {
      await second.index([folder]);
      expect(fs.existsSync(checkDir(other))).toBe(false);
    } finally {
      second.close();
    }
  });

  it('killed mid-job: the photos not checked keep theirs, the next run checks them and removes every one', async () => {
    const library = path.join(work, 'killed');
    const scans = () => {
      const db = new Database(path.join(library, 'facet.db'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT COUNT(*) FROM photo_text_scans').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    const args = ['index', folder, '--library', library, '--models', SHARED_MODELS, '--device', 'cpu'];
    const kill = await killWhen(args, library, () => scans() >= 2);
    expect(kill.killed, kill.stderr).toBe(true);
    const checked = scans();
    expect(checked).toBeLessThan(photos.length);
    // Each photo checked lost its check image before its scan was saved; the others keep theirs (one in
    // flight may have lost it too: its check then decodes the original).
    const db = new Database(path.join(library, 'facet.db'), { readonly: true });
    const scanned = db.prepare('SELECT photo_id FROM photo_text_scans').pluck().all() as number[];
    const unscanned = db.prepare('SELECT id FROM photos WHERE id NOT IN (SELECT photo_id FROM photo_text_scans)').pluck().all() as number[];
    db.close();
    const thumbnails = libraryPaths(library).thumbnails;
    for (const id of scanned) expect(fs.existsSync(textCheckImagePath(thumbnails, id)), `photo ${id}`).toBe(false);
    const left = new Set(checkImages(library).map((f) => path.join(checkDir(library), f)));
    expect([...left].every((file) => unscanned.some((id) => textCheckImagePath(thumbnails, id) === file))).toBe(true);

    const engine = open(library);
    try {
      await engine.runJobs({ kinds: ['backfill-text'] });
      expect(scans()).toBe(photos.length);
      for (const sign of signs()) expect(await found(engine, sign), sign.query!).toBe(true);
      expect(fs.existsSync(checkDir(library))).toBe(false);
    } finally {
      engine.close();
    }
  });

  it.skipIf(!canMountTmpfs(path.join(work, 'probe')))(
    // The free-space floor (test/engine/analyzers/text-stage.test.ts) sees the thumbnails' disk, which has
    // room: this is a write that fails anyway, as when the disk fills between the check and the write.
    'check images that cannot be written (their folder is full): every photo is still indexed, and the check decodes the originals',
    async () => {
      const library = path.join(work, 'full');
      mountTmpfs(checkDir(library), '4k');
      mounts.push(checkDir(library));
      const engine = open(library);
      try {
        const result = await engine.index([folder]);
        expect([result.indexed, result.failed]).toEqual([photos.length, 0]);
        expect(checkImages(library)).toEqual([]);
        await engine.runJobs({ kinds: ['backfill-text'] });
        for (const sign of signs()) expect(await found(engine, sign), sign.query!).toBe(true);
      } finally {
        engine.close();
      }
    },
  );
});

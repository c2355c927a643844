import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toApiError } from '../../src/common/result';
import { Engine } from '../../src/engine/engine';
import { SHARED_MODELS, describeWithShared } from '../support/shared';
import { tempDir } from '../support/temp';
import { AS_NOBODY, canMountTmpfs, hasCommand, mountTmpfs, remount, unmount } from './support/system';
import { runFacetChild } from './support/child';
import { allOrNothingProblems, facesByName, integrityCheck, photoRows } from './support/library-check';
import { copyAlbumPhotos } from './support/photos';

/** Few photos (each test indexes them several times): one and two faces, and none. */
const SAMPLE = ['1.jpg', '2.jpg', '3.jpg', '7.jpg', 'overlap_1.jpg', 'overlap_2.jpg'];

const work = tempDir('facet-full-');
const photos = path.join(work, 'photos');
const MOUNTABLE = canMountTmpfs(path.join(work, 'probe'));
const NO_MOUNT = MOUNTABLE ? '' : ' [skipped: needs root and mount(8) to create a tmpfs, a real full / read-only disk]';
const NOBODY = process.getuid?.() === 0 && hasCommand('setpriv');
const NO_NOBODY = NOBODY ? '' : ' [skipped: needs root and setpriv (util-linux) to run the CLI as nobody; root ignores file permissions]';
const index = (lib: string, folder = photos) => ['index', folder, '--library', lib, '--models', SHARED_MODELS, '--device', 'cpu'];

describeWithShared('disk full, read-only library, unreadable files', () => {
  let reference: Record<string, number>;
  const mounts: string[] = [];

  beforeAll(async () => {
    copyAlbumPhotos(SAMPLE, photos);
    const clean = await runFacetChild(index(path.join(work, 'clean')));
    expect(clean.code, clean.stderr).toBe(0);
    reference = facesByName(path.join(work, 'clean'));
  }, 300_000);
  afterAll(() => mounts.forEach(unmount));

  it('SQLite max_page_count reached mid-run: disk_full, every photo fully indexed or not at all, then it resumes', async () => {
    const library = path.join(work, 'capped');
    const engine = Engine.open({ libraryDir: library, modelsDir: SHARED_MODELS, device: 'cpu' });
    let error: unknown;
    try {
      // A few pages of room: not enough for the first chunk of face vectors sqlite-vec allocates.
      const pages = engine.library.db.pragma('page_count', { simple: true }) as number;
      engine.library.db.pragma(`max_page_count = ${pages + 40}`);
      await engine.index([photos]).catch((e: unknown) => (error = e));
    } finally {
      engine.close();
    }
    expect(toApiError(error), String((error as Error)?.stack)).toMatchObject({
      code: 'disk_full',
      message: expect.stringMatching(/disk is full/),
    });
    expect(integrityCheck(library)).toBe('ok');
    expect(allOrNothingProblems(library, reference)).toEqual([]);
    const resumed = await runFacetChild(index(library));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(facesByName(library)).toEqual(reference);
  });

  it.skipIf(!MOUNTABLE)(
    `a really full disk (tmpfs): clear message, exit 1, consistent, resumes when space is freed${NO_MOUNT}`,
    async () => {
      const library = path.join(work, 'tiny-disk');
      mountTmpfs(library, '600k');
      mounts.push(library);
      const full = await runFacetChild(index(library));
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(/^facet: The disk is full/m);
      expect(integrityCheck(library)).toBe('ok');
      expect(allOrNothingProblems(library, reference)).toEqual([]);
      remount(library, 'size=64m');
      const resumed = await runFacetChild(index(library));
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(facesByName(library)).toEqual(reference);
      expect(allOrNothingProblems(library, reference)).toEqual([]);
    },
  );

  it.skipIf(!MOUNTABLE)(`a read-only library disk: index and listing say so clearly (exit 1) and change nothing${NO_MOUNT}`, async () => {
    const library = path.join(work, 'ro-disk');
    mountTmpfs(library, '64m');
    mounts.push(library);
    expect((await runFacetChild(index(library))).code).toBe(0);
    const before = fs.readFileSync(path.join(library, 'facet.db'));
    remount(library, 'ro');
    for (const args of [index(library), ['files', '--library', library]]) {
      const run = await runFacetChild(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^facet: The library folder .* is read-only/m);
    }
    expect(fs.readFileSync(path.join(library, 'facet.db')).equals(before)).toBe(true);
    remount(library, 'rw');
    expect(integrityCheck(library)).toBe('ok');
  });

  it.skipIf(!NOBODY)(
    `as another user: unreadable photos and folders get a reason; a locked folder's photos are not lost${NO_NOBODY}`,
    async () => {
      const root = path.join(work, 'perm');
      const folder = path.join(root, 'photos');
      const library = path.join(root, 'library');
      copyAlbumPhotos(['2.jpg', '3.jpg'], folder);
      copyAlbumPhotos(['4.jpg'], path.join(folder, 'private'));
      expect((await runFacetChild(index(library, folder))).code).toBe(0);
      fs.chmodSync(work, 0o755);
      for (const dir of [
        root,
        library,
        path.join(library, 'thumbs'),
        path.join(library, 'thumbs', '0000'),
        path.join(library, 'thumbs', '.partial'),
        path.join(library, 'thumbs', 'faces'),
        path.join(library, 'thumbs', 'faces', '0000'),
      ])
        fs.chmodSync(dir, 0o777);
      for (const file of fs.readdirSync(library))
        if (fs.statSync(path.join(library, file)).isFile()) fs.chmodSync(path.join(library, file), 0o666);
      fs.appendFileSync(path.join(folder, '3.jpg'), 'changed'); // changed, so it must be read again...
      fs.chmodSync(path.join(folder, '3.jpg'), 0o000); // ...but it cannot be
      fs.chmodSync(path.join(folder, 'private'), 0o000);
      const run = await runFacetChild(index(library, folder), { wrapper: AS_NOBODY });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/private: permission denied/);
      const rows = Object.fromEntries(photoRows(library).map((r) => [path.relative(folder, r.path), r]));
      expect(rows['3.jpg']).toMatchObject({ status: 'failed', error: expect.stringMatching(/permission denied/) });
      expect(rows[path.join('private', '4.jpg')]).toMatchObject({ status: 'indexed', faces: 1 });
      expect(integrityCheck(library)).toBe('ok');
    },
  );
});

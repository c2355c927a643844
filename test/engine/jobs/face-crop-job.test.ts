import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { faceCropRelativePath } from '../../../src/engine/imaging/face-crop';
import { runFacet } from '../../support/cli';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { jobPhotoCounts, jobsOf, killWhen, query } from './support';

/**
 * A library indexed before faces had crops of their own: the first start of this Facet queues the
 * `backfill-face-crops` job; the user quits hard half way (SIGKILL); the next start finishes it, with
 * no photo done twice, every face with its 256 px crop, and the CLI doing it as `facet index` does.
 */
describeWithShared('face crop backfill: an older library gets its crops, across a kill and a restart', { timeout: 300_000 }, () => {
  const work = tempDir('facet-crop-backfill-');
  const photos = path.join(work, 'photos');
  const library = path.join(work, 'library');
  const index = ['index', photos, '--library', library, '--models', SHARED_MODELS, '--device', 'cpu'];
  const facesWithCrop = () => query<{ id: number; crop: number | null }>(library, 'SELECT id, crop FROM faces ORDER BY id');
  const cropJob = () => query<{ id: number; done: number }>(library, "SELECT id, done FROM jobs WHERE kind = 'backfill-face-crops'")[0];

  beforeAll(async () => {
    fs.mkdirSync(photos, { recursive: true });
    for (const dir of ['faces-album', 'groups'])
      for (const file of fs.readdirSync(sharedPhotos(dir)).filter((f) => f.endsWith('.jpg')))
        fs.copyFileSync(sharedPhotos(dir, file), path.join(photos, `${dir}-${file}`));
    const first = await runFacet(index);
    expect(first.code, first.stderr).toBe(0);
    expect(facesWithCrop().every((f) => f.crop === 256)).toBe(true); // indexing made them
    // Now make it the library an older Facet left: faces without crops (the migration's NULL), no files.
    const db = new Database(path.join(library, 'facet.db'));
    db.exec('UPDATE faces SET crop = NULL');
    db.close();
    fs.rmSync(path.join(library, 'thumbs', 'faces'), { recursive: true });
  });

  it('is queued at start, survives a SIGKILL half way, and the next start finishes it', async () => {
    const faces = facesWithCrop();
    const photosWithFaces = query<{ n: number }>(library, 'SELECT count(DISTINCT photo_id) AS n FROM faces')[0]!.n;
    expect(photosWithFaces).toBeGreaterThan(30);

    const kill = await killWhen(index, library, () => (cropJob()?.done ?? 0) >= 5);
    expect(kill.killed, kill.stderr).toBe(true);
    const halfway = facesWithCrop();
    const made = halfway.filter((f) => f.crop !== null);
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThan(faces.length);
    for (const f of made) expect(fs.existsSync(path.join(library, 'thumbs', faceCropRelativePath(f.id))), `face ${f.id}`).toBe(true);

    const again = await runFacet(index);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/done: backfill-face-crops/);
    const after = facesWithCrop();
    expect(after.map((f) => f.id)).toEqual(faces.map((f) => f.id)); // the same faces: clustering, names untouched
    for (const f of after) {
      expect(f.crop, `face ${f.id}`).toBe(256);
      const meta = await sharp(path.join(library, 'thumbs', faceCropRelativePath(f.id))).metadata();
      expect([meta.width, meta.height]).toEqual([256, 256]);
    }
    const job = (await jobsOf(library)).find((j) => j.kind === 'backfill-face-crops')!;
    expect(job).toMatchObject({ state: 'done', done: photosWithFaces, total: photosWithFaces, failed: 0 });
    const counts = jobPhotoCounts(library, job.id);
    expect(counts.rows).toBe(counts.distinct); // no photo decoded twice

    // Nothing left to do: a further start queues no new job.
    expect((await runFacet(['jobs', '--json', '--library', library])).code).toBe(0);
    expect((await jobsOf(library)).filter((j) => j.kind === 'backfill-face-crops')).toHaveLength(1);
  });
});

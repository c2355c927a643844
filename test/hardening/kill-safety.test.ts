import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { SHARED_MODELS, describeWithShared } from '../support/shared';
import { tempDir } from '../support/temp';
import { type ChildRun, runAndKill, runFacetChild } from './support/child';
import { integrityCheck, orphanVectors, partialThumbnails, photoRows, thumbnailFiles, withDb } from './support/library-check';
import { ALBUM_SAMPLE, copyAlbumPhotos, seededRandom } from './support/photos';

const KILLS = 16;
const SEED = Number(process.env.FACET_KILL_SEED ?? 20261126);

/** The user's work we must never lose: (photo, face box) → person name, assignment, rejected names. */
interface UserWork {
  photo: string;
  box: string;
  person: string | null;
  assignment: string | null;
  rejected: string[];
}

function userWork(libraryDir: string): UserWork[] {
  return withDb(libraryDir, (db) =>
    (
      db
        .prepare(
          `SELECT p.path AS photo, printf('%.1f,%.1f,%.1f,%.1f', f.box_x, f.box_y, f.box_w, f.box_h) AS box,
             CASE f.assignment WHEN 'confirmed' THEN pe.name END AS person, CASE f.assignment WHEN 'confirmed' THEN 'confirmed' END AS assignment,
             (SELECT group_concat(rp.name) FROM face_rejections r JOIN people rp ON rp.id = r.person_id WHERE r.face_id = f.id) AS rejected
           FROM faces f JOIN photos p ON p.id = f.photo_id LEFT JOIN people pe ON pe.id = f.person_id
           WHERE f.assignment = 'confirmed' OR EXISTS (SELECT 1 FROM face_rejections r WHERE r.face_id = f.id)
           ORDER BY p.path, f.box_x`,
        )
        .all() as (Omit<UserWork, 'rejected'> & { rejected: string | null })[]
    ).map((w) => ({ ...w, rejected: w.rejected ? w.rejected.split(',').sort() : [] })),
  );
}

/** Names two faces and rejects a name on a third through the people commands, as a user would. */
async function recordUserWork(libraryDir: string, photos: string[]): Promise<void> {
  const faces = JSON.parse((await runFacetChild(['faces', '--json', '--library', libraryDir])).stdout) as {
    id: number;
    photo: string;
    box: number[];
  }[];
  const faceOf = (photo: string) => faces.filter((f) => f.photo === photo).sort((a, b) => a.box[0]! - b.box[0]!)[0]!.id;
  for (const args of [
    ['name', String(faceOf(photos[0]!)), 'Alice'],
    ['name', String(faceOf(photos[1]!)), 'Bob'],
    ['name', String(faceOf(photos[2]!)), 'Carol'],
    ['reject', String(faceOf(photos[2]!))],
  ]) {
    const run = await runFacetChild([...args, '--library', libraryDir]);
    expect(run.code, `facet ${args.join(' ')}: ${run.stderr}`).toBe(0);
  }
}

describeWithShared('kill safety: SIGKILL at random moments loses nothing', () => {
  const work = tempDir('facet-kill-');
  const photos = path.join(work, 'photos');
  const library = path.join(work, 'library');
  const cleanLibrary = path.join(work, 'clean-library');
  const index = (lib: string) => ['index', photos, '--library', lib, '--models', SHARED_MODELS, '--device', 'cpu'];
  const killRuns: { delay: number; run: ChildRun }[] = [];
  let before: UserWork[];
  let finalRun: ChildRun;
  let leftByKills = 0;
  let killWindow = 0;

  beforeAll(async () => {
    const paths = copyAlbumPhotos(ALBUM_SAMPLE, photos);
    // Reference: one uninterrupted run over the same photos in its own library.
    const clean = await runFacetChild(index(cleanLibrary));
    expect(clean.code, clean.stderr).toBe(0);

    // The user's work on a first, completed part of the library.
    for (const p of paths.slice(4)) fs.renameSync(p, `${p}.later`);
    const first = await runFacetChild(index(library));
    expect(first.code, first.stderr).toBe(0);
    await recordUserWork(library, paths);
    before = userWork(library);
    for (const p of paths.slice(4)) fs.renameSync(`${p}.later`, p);

    // Kill after kill. Before each run every photo changes (bytes appended after the JPEG end), named
    // ones included, so every run has the whole set to re-index (names carried over each time), and
    // kill moments are spread over the length of an uninterrupted run on this machine, whatever its load.
    const random = seededRandom(SEED);
    killWindow = clean.ms * 0.7 - 200;
    // A run that finished before its kill moment does not count: try again until KILLS really landed.
    for (let k = 0; killRuns.filter((r) => r.run.signal === 'SIGKILL').length < KILLS && k < KILLS * 2; k++) {
      for (const p of paths) fs.appendFileSync(p, Buffer.from(`edited ${k}`));
      const delay = Math.round(200 + random() * (clean.ms * 0.7 - 200));
      killRuns.push({ delay, run: await runAndKill(index(library), delay) });
    }
    // Informative: partial thumbnails the kills left for the next run to sweep.
    leftByKills = partialThumbnails(library).length;
    finalRun = await runFacetChild(index(library));
  }, 600_000);

  it(`was really killed ${KILLS} times at spread-out moments`, () => {
    const killed = killRuns.filter((k) => k.run.signal === 'SIGKILL');
    console.info(
      `kill safety: ${killed.length} SIGKILLs in ${killRuns.length} runs at ${killed.map((k) => k.delay).join(', ')} ms (seed ${SEED})`,
    );
    expect(killed.length, `seed ${SEED}: ${killRuns.map((k) => `${k.delay}ms→${k.run.signal ?? k.run.code}`).join(' ')}`).toBe(KILLS);
    const delays = killed.map((k) => k.delay);
    // Spread relative to this machine's speed: an absolute number fails on a fast, quiet machine.
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(killWindow * 0.4);
  });

  it('the next run completes and the database is intact', () => {
    expect(finalRun.code, finalRun.stderr).toBe(0);
    expect(finalRun.stdout).toMatch(/^indexed \d+, unchanged \d+, failed 0, unsupported 0/);
    expect(integrityCheck(library)).toBe('ok');
  });

  it('every photo is indexed exactly once, with the same faces as an uninterrupted run', () => {
    const rows = photoRows(library);
    const clean = photoRows(cleanLibrary);
    expect(rows.map((r) => path.basename(r.path)).sort()).toEqual([...ALBUM_SAMPLE].sort());
    expect(rows.every((r) => r.status === 'indexed')).toBe(true);
    const facesByName = (list: typeof rows) => Object.fromEntries(list.map((r) => [path.basename(r.path), r.faces]));
    expect(facesByName(rows)).toEqual(facesByName(clean));
    expect(orphanVectors(library)).toEqual({ facesWithoutVector: 0, vectorsWithoutFace: 0 });
  });

  it('leaves no partial thumbnails, and exactly one thumbnail per photo', () => {
    console.info(`kill safety: ${leftByKills} partial thumbnail(s) left by the kills were swept by the final run`);
    expect(partialThumbnails(library)).toEqual([]);
    expect(thumbnailFiles(library).filter((f) => f.endsWith('.webp'))).toHaveLength(ALBUM_SAMPLE.length);
  });

  it('names, confirmations and rejections made before the kills are intact', () => {
    expect(before.length).toBe(3);
    expect(
      before
        .filter((w) => w.person)
        .map((w) => w.person)
        .sort(),
    ).toEqual(['Alice', 'Bob']);
    expect(before.find((w) => w.rejected.length)?.rejected).toEqual(['Carol']);
    expect(userWork(library)).toEqual(before);
  });
});

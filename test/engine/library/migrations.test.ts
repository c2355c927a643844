import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Library } from '../../../src/engine/library/library';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/engine/library/migrations';
import { type OldLibraryContents, buildLibraryAtVersion } from '../../fixtures/hardening/old-library';
import { HAS_SHARED, SHARED_MODELS, SHARED_SKIP_REASON } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { runFacetChild } from '../../hardening/support/child';
import { integrityCheck, orphanVectors, withDb } from '../../hardening/support/library-check';
import { FIXTURES_DIR } from '../../support/paths';

function contents(libraryDir: string, file = 'facet.db'): OldLibraryContents & { version: number } {
  const dir = file === 'facet.db' ? libraryDir : fs.mkdtempSync(path.join(libraryDir, 'copy-'));
  if (file !== 'facet.db') fs.copyFileSync(path.join(libraryDir, file), path.join(dir, 'facet.db'));
  return withDb(dir, (db) => {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      photos: n('SELECT count(*) AS n FROM photos'),
      faces: n('SELECT count(*) AS n FROM faces'),
      people: (db.prepare('SELECT name FROM people ORDER BY name').all() as { name: string }[]).map((p) => p.name),
      confirmed: n("SELECT count(*) AS n FROM faces WHERE assignment = 'confirmed' AND person_id IS NOT NULL"),
      rejections: n('SELECT count(*) AS n FROM face_rejections'),
    };
  });
}

describe('migrations: every schema version upgrades from the previous one', () => {
  const work = tempDir('facet-migrate-');

  it('the migration list is numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  for (const from of Array.from({ length: LATEST_SCHEMA_VERSION - 1 }, (_, i) => i + 1)) {
    it(`v${from} → v${LATEST_SCHEMA_VERSION}: data intact, backup of v${from} taken first`, () => {
      const dir = path.join(work, `from-v${from}`);
      const built = buildLibraryAtVersion(dir, from);
      Library.open(dir).close();
      expect(contents(dir)).toEqual({ ...built, version: LATEST_SCHEMA_VERSION });
      expect(integrityCheck(dir)).toBe('ok');
      expect(orphanVectors(dir)).toEqual({ facesWithoutVector: 0, vectorsWithoutFace: 0 });
      // The backup is the library exactly as it was, before any migration step ran.
      expect(contents(dir, `facet.db.bak-v${from}`)).toEqual({ ...built, version: from });
      // Opening again neither migrates nor overwrites the backup.
      const backupTime = fs.statSync(path.join(dir, `facet.db.bak-v${from}`)).mtimeMs;
      Library.open(dir).close();
      expect(fs.statSync(path.join(dir, `facet.db.bak-v${from}`)).mtimeMs).toBe(backupTime);
    });
  }

  it.skipIf(!HAS_SHARED)(
    `v4 → v5: HEIC photos an older Facet called unsupported are indexed on the next run; other formats stay as they were${HAS_SHARED ? '' : ` [skipped: ${SHARED_SKIP_REASON}]`}`,
    async () => {
      const dir = path.join(work, 'heic-from-v4');
      buildLibraryAtVersion(dir, 4);
      const photos = path.join(work, 'heic-photos');
      fs.mkdirSync(photos, { recursive: true });
      const heic = path.join(photos, 'IMG_0001.HEIC');
      fs.copyFileSync(path.join(FIXTURES_DIR, 'heic', 'quadrants-hevc.heic'), heic);
      fs.writeFileSync(path.join(photos, 'IMG_0002.CR2'), 'raw bytes');
      const stat = fs.statSync(heic);
      const old = new Database(path.join(dir, 'facet.db'));
      const folderId = Number(old.prepare('INSERT INTO folders (path, status) VALUES (?, ?)').run(photos, 'online').lastInsertRowid);
      const insert = old.prepare(
        "INSERT INTO photos (folder_id, path, size, mtime_ms, status, error, format) VALUES (?, ?, ?, ?, 'unsupported', ?, ?)",
      );
      insert.run(
        folderId,
        heic,
        stat.size,
        Math.floor(stat.mtimeMs),
        'unsupported format: HEIC (HEIC with HEVC compression is not supported by this build of the image decoder)',
        'HEIC',
      );
      const raw = fs.statSync(path.join(photos, 'IMG_0002.CR2'));
      insert.run(
        folderId,
        path.join(photos, 'IMG_0002.CR2'),
        raw.size,
        Math.floor(raw.mtimeMs),
        'unsupported format: Canon RAW (CR2)',
        'Canon RAW (CR2)',
      );
      old.close();

      const run = await runFacetChild(['index', photos, '--library', dir, '--models', SHARED_MODELS, '--device', 'cpu', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const rows = new Database(path.join(dir, 'facet.db'), { readonly: true });
      try {
        const statusOf = (file: string) =>
          rows.prepare('SELECT status, thumbnail FROM photos WHERE path = ?').get(path.join(photos, file)) as {
            status: string;
            thumbnail: string | null;
          };
        expect(statusOf('IMG_0001.HEIC')).toMatchObject({ status: 'indexed', thumbnail: expect.any(String) });
        expect(statusOf('IMG_0002.CR2').status).toBe('unsupported');
      } finally {
        rows.close();
      }
    },
  );

  it('the CLI upgrades an old library on first use and lists its files', async () => {
    const dir = path.join(work, 'cli-v1');
    buildLibraryAtVersion(dir, 1);
    const run = await runFacetChild(['files', '--json', '--library', dir]);
    expect(run.code).toBe(1); // read-only listing cannot upgrade: it says so, and what to do
    expect(run.stderr).toMatch(
      /needs an upgrade \(schema 1 → \d+\), and this command only reads it\. Run `facet status` \(or open the Facet app\) once to upgrade it/,
    );
    const status = await runFacetChild(['status', '--json', '--library', dir]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, counts: { photos: 6 } });
    expect(fs.existsSync(path.join(dir, 'facet.db.bak-v1'))).toBe(true);
    const files = await runFacetChild(['files', '--json', '--library', dir]);
    expect(files.code, files.stderr).toBe(0);
    expect(JSON.parse(files.stdout)).toHaveLength(6);
  });

  it('a library from a newer Facet is refused with a clear message (exit 1) and left untouched', async () => {
    const dir = path.join(work, 'newer');
    buildLibraryAtVersion(dir, LATEST_SCHEMA_VERSION);
    const db = new (await import('better-sqlite3')).default(path.join(dir, 'facet.db'));
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    const before = fs.readFileSync(path.join(dir, 'facet.db'));
    for (const args of [['status'], ['files'], ['index', dir]]) {
      const run = await runFacetChild([...args, '--library', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^facet: This library was written by a newer Facet \\(schema ${LATEST_SCHEMA_VERSION + 1}; this version knows up to ${LATEST_SCHEMA_VERSION}\\)\\. Update Facet`,
          'm',
        ),
      );
    }
    expect(fs.readFileSync(path.join(dir, 'facet.db')).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.bak-'))).toEqual([]);
  });
});

import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/engine/library/database';
import { countPhotosLackingFaceCrops, photosLackingFaceCrops } from '../../../src/engine/library/face-store';
import { photosWithoutEmbedding } from '../../../src/engine/library/image-vectors';
import { Library } from '../../../src/engine/library/library';
import { createPerson } from '../../../src/engine/library/people-store';
import { GRID_ORDER, listPhotos } from '../../../src/engine/library/queries';
import { reviewQueue } from '../../../src/engine/library/review-queue-store';
import { savedConceptRows, tagCounts } from '../../../src/engine/library/tag-store';
import { TextStore } from '../../../src/engine/library/text-store';
import { buildLibraryAtVersion } from '../../fixtures/hardening/old-library';
import { tempDir } from '../../support/temp';

/**
 * One test per migration: a library exactly as the previous version left it (migrations 1..N-1 and
 * realistic rows, test/fixtures/hardening/old-library.ts), sometimes with the old rows the migration
 * is about, is opened by today's Facet; then the data that migration N is responsible for is checked.
 * migrations.test.ts checks the rest (every version to the latest keeps photos, faces, names,
 * confirmations and rejections, with a backup taken first). Text (v8) and places (v6, v9) also have
 * journeys of their own in text-store.test.ts and places-migration.test.ts.
 */
const work = tempDir('facet-each-migration-');

/** Builds the library at `version`, lets `seed` write old rows with that version's schema, opens and migrates it. */
function upgradeFrom(version: number, seed: (db: Database.Database) => void = () => {}): Library {
  const dir = path.join(work, `v${version}-${Math.random().toString(36).slice(2, 8)}`);
  buildLibraryAtVersion(dir, version);
  const old = new Database(path.join(dir, 'facet.db'));
  try {
    seed(old);
  } finally {
    old.close();
  }
  return Library.open(dir);
}

function withUpgrade(version: number, seed: ((db: Database.Database) => void) | undefined, check: (db: Db) => void): void {
  const library = upgradeFrom(version, seed);
  try {
    check(library.db);
  } finally {
    library.close();
  }
}

const schemaObject = (db: Db, name: string) =>
  db.prepare('SELECT type FROM sqlite_master WHERE name = ?').get(name) as { type: string } | undefined;
const count = (db: Db, sql: string) => (db.prepare(sql).get() as { n: number }).n;

describe('each migration, from the version before it', () => {
  it('v1 → v2 (people undo log): the log starts empty and the suggestion index exists', () => {
    withUpgrade(1, undefined, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM people_undo')).toBe(0);
      expect(schemaObject(db, 'faces_suggested')).toEqual({ type: 'index' });
      expect(count(db, 'SELECT count(*) AS n FROM people')).toBe(3);
    });
  });

  it('v2 → v3 (search): no tags or concepts yet, and every indexed photo waits for its CLIP vector', () => {
    withUpgrade(2, undefined, (db) => {
      expect(tagCounts(db, 'clip-vit-b32-openai')).toEqual([]);
      expect(savedConceptRows(db)).toEqual([]);
      const indexed = db.prepare("SELECT id FROM photos WHERE status = 'indexed' ORDER BY id").all() as { id: number }[];
      expect(indexed).toHaveLength(3);
      expect(photosWithoutEmbedding(db, 'clip-vit-b32-openai').map((p) => p.id)).toEqual(indexed.map((p) => p.id));
    });
  });

  it('v3 → v4 (grid order): the grid lists the visible photos newest first, through the new index', () => {
    withUpgrade(3, undefined, (db) => {
      const { total, photos } = listPhotos(db);
      expect(total).toBe(4); // three indexed and one offline; missing and failed photos are not shown
      const taken = photos.map((p) => p.takenAt);
      expect(taken).toEqual([...taken].sort().reverse());
      // The grid's own ORDER BY (a later migration, 011, redefined the index for "undated photos last"):
      // whatever the order is today, the grid must read it from the index, not sort the library.
      const plan = JSON.stringify(
        db
          .prepare(`EXPLAIN QUERY PLAN SELECT id FROM photos p WHERE +p.status IN ('indexed','offline') ORDER BY ${GRID_ORDER} LIMIT 10`)
          .all(),
      );
      expect(plan).toContain('photos_grid_order');
    });
  });

  it('v4 → v5 (retry HEVC HEIC): HEIC photos once called unsupported go back to pending; other unsupported files stay', () => {
    const seed = (db: Database.Database) => {
      const insert = db.prepare(
        "INSERT INTO photos (folder_id, path, size, mtime_ms, status, error, format) VALUES (1, ?, 10, 1, 'unsupported', ?, ?)",
      );
      insert.run(
        '/home/ann/Pictures/IMG_0001.HEIC',
        'unsupported format: HEIC (HEIC with HEVC compression is not supported by this build of the image decoder)',
        'HEIC',
      );
      insert.run('/home/ann/Pictures/IMG_0002.HEIF', 'unsupported format: HEIF', 'HEIF');
      insert.run('/home/ann/Pictures/IMG_0003.CR2', 'unsupported format: Canon RAW (CR2)', 'Canon RAW (CR2)');
    };
    withUpgrade(4, seed, (db) => {
      const rows = db.prepare("SELECT path, status, error FROM photos WHERE path LIKE '%IMG_000%' ORDER BY path").all();
      expect(rows).toEqual([
        { path: '/home/ann/Pictures/IMG_0001.HEIC', status: 'pending', error: null },
        { path: '/home/ann/Pictures/IMG_0002.HEIF', status: 'pending', error: null },
        { path: '/home/ann/Pictures/IMG_0003.CR2', status: 'unsupported', error: 'unsupported format: Canon RAW (CR2)' },
      ]);
    });
  });

  it('v5 → v6 (places): the places table exists and waits for geocoding (which Engine.open does)', () => {
    withUpgrade(5, undefined, (db) => {
      expect(schemaObject(db, 'photo_places')).toEqual({ type: 'table' });
      expect(count(db, 'SELECT count(*) AS n FROM photo_places')).toBe(0);
    });
  });

  it('v6 → v7 (suggestion value): an existing suggestion keeps its place in the review queue by its confidence', () => {
    const seed = (db: Database.Database) => {
      db.prepare(
        'UPDATE faces SET suggested_person_id = (SELECT min(id) FROM people), suggestion_confidence = 0.72 WHERE id = (SELECT min(id) FROM faces)',
      ).run();
    };
    withUpgrade(6, seed, (db) => {
      const values = db.prepare('SELECT suggestion_value AS value FROM faces WHERE suggestion_value IS NOT NULL').all();
      expect(values).toEqual([{ value: 0.72 }]);
      expect(count(db, 'SELECT count(*) AS n FROM faces WHERE suggestion_value IS NULL')).toBe(
        count(db, 'SELECT count(*) AS n FROM faces') - 1,
      );
    });
  });

  it('v7 → v8 (text in photos): no photo has been scanned for text yet', () => {
    withUpgrade(7, undefined, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM photo_text_scans')).toBe(0);
      expect(count(db, 'SELECT count(*) AS n FROM photo_text_lines')).toBe(0);
    });
  });

  it('v8 → v9 (place names): places geocoded before keep their city and wait for the nearest name', () => {
    const seed = (db: Database.Database) => {
      db.prepare(
        "INSERT INTO photo_places (photo_id, lat, lon, nearest_id, city_id, city, region, country) VALUES ((SELECT min(id) FROM photos), 35.1587, 129.1604, 1, 1838524, 'Busan', '10', 'KR')",
      ).run();
    };
    withUpgrade(8, seed, (db) => {
      expect(db.prepare('SELECT city, country, nearest FROM photo_places').all()).toEqual([
        { city: 'Busan', country: 'KR', nearest: null },
      ]);
    });
  });

  it('v9 → v10 (place name index): the covering index for place names exists', () => {
    withUpgrade(9, undefined, (db) => {
      expect(schemaObject(db, 'photo_places_nearest_names')).toEqual({ type: 'index' });
    });
  });
  it('v12 → v13 (text scan areas): a scan from before keeps its verdict, without areas, so the full read checks again', () => {
    const seed = (db: Database.Database) => {
      db.prepare(
        "INSERT INTO photo_text_scans (photo_id, model_id, state, regions) VALUES ((SELECT min(id) FROM photos WHERE status = 'indexed'), 'ppocr-v4-det+ppocr-v4-rec-ch', 'candidate', 2)",
      ).run();
    };
    withUpgrade(12, seed, (db) => {
      expect(db.prepare('SELECT state, regions, areas FROM photo_text_scans').all()).toEqual([
        { state: 'candidate', regions: 2, areas: null },
      ]);
      const waiting = new TextStore(db).photosNeedingText('ppocr-v4-det+ppocr-v4-rec-ch');
      expect(waiting.find((p) => p.state === 'candidate')).toMatchObject({ areas: null });
    });
  });
  it('v13 → v14 (text scan failures): a scan from before keeps its verdict, with no error and no failed attempt', () => {
    const seed = (db: Database.Database) => {
      db.prepare(
        "INSERT INTO photo_text_scans (photo_id, model_id, state, regions, areas) VALUES ((SELECT min(id) FROM photos WHERE status = 'indexed'), 'ppocr-v4-det+ppocr-v4-rec-ch', 'candidate', 1, '[[0.5,0.5,0.2,0.1,0]]')",
      ).run();
    };
    withUpgrade(13, seed, (db) => {
      expect(db.prepare('SELECT state, regions, areas, error, failures FROM photo_text_scans').all()).toEqual([
        { state: 'candidate', regions: 1, areas: '[[0.5,0.5,0.2,0.1,0]]', error: null, failures: 0 },
      ]);
      expect(new TextStore(db).hasPhotosNeedingText('ppocr-v4-det+ppocr-v4-rec-ch')).toBe(true);
    });
  });
  it("v14 → v15 (faces by person and photo): a person's faces from before are found through the covering index", () => {
    const seed = (db: Database.Database) => {
      const person = db.prepare("INSERT INTO people (name) VALUES ('Mina')").run().lastInsertRowid;
      db.prepare(
        "INSERT INTO faces (photo_id, model_id, box_x, box_y, box_w, box_h, score, landmarks, quality, person_id) VALUES ((SELECT min(id) FROM photos WHERE status = 'indexed'), 'm', 0, 0, 1, 1, 1, '[]', 1, ?)",
      ).run(person);
    };
    withUpgrade(14, seed, (db) => {
      expect(schemaObject(db, 'faces_person')).toBeUndefined(); // the covering index (v16: with the photo's date) replaces it
      const sql = "SELECT f.photo_id FROM faces f JOIN people p ON p.id = f.person_id WHERE p.name = 'Mina'";
      expect(db.prepare(sql).pluck().all()).toEqual([db.prepare("SELECT min(id) FROM photos WHERE status = 'indexed'").pluck().get()]);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan).toMatch(/COVERING INDEX faces_person_taken/);
    });
  });
  it("v15 → v16 (faces taken at): each face from before carries its photo's date, and keeps following it", () => {
    const photo = "(SELECT min(id) FROM photos WHERE status = 'indexed')";
    const seed = (db: Database.Database) => {
      db.prepare(`UPDATE photos SET taken_at = '2012-05-01T10:00:00' WHERE id = ${photo}`).run();
      db.prepare(
        `INSERT INTO faces (photo_id, model_id, box_x, box_y, box_w, box_h, score, landmarks, quality) VALUES (${photo}, 'm', 0, 0, 1, 1, 1, '[]', 1)`,
      ).run();
    };
    const seeded = `SELECT photo_taken_at FROM faces WHERE model_id = 'm' AND photo_id = ${photo}`;
    const differing = 'SELECT count(*) AS n FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.photo_taken_at IS NOT p.taken_at';
    withUpgrade(15, seed, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM faces')).toBeGreaterThan(1);
      expect(count(db, differing)).toBe(0);
      expect(db.prepare(seeded).pluck().get()).toBe('2012-05-01T10:00:00');
      expect(schemaObject(db, 'faces_person_taken')).toEqual({ type: 'index' });
      db.prepare(`UPDATE photos SET taken_at = '2013-01-02T03:04:05' WHERE id = ${photo}`).run();
      expect(db.prepare(seeded).pluck().get()).toBe('2013-01-02T03:04:05');
    });
  });

  it('v16 → v17 (face crops): every face from before has none yet, and the indexed ones are what the crop backfill finds', () => {
    withUpgrade(16, undefined, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM faces WHERE crop IS NOT NULL')).toBe(0);
      expect(schemaObject(db, 'faces_without_crop')).toEqual({ type: 'index' });
      const indexedWithFaces = count(
        db,
        "SELECT count(DISTINCT f.photo_id) AS n FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'indexed'",
      );
      expect(indexedWithFaces).toBeGreaterThan(0);
      expect(countPhotosLackingFaceCrops(db)).toBe(indexedWithFaces);
      expect(
        photosLackingFaceCrops(db, 1000)
          .map((p) => p.faces.length)
          .reduce((a, b) => a + b, 0),
      ).toBe(count(db, "SELECT count(*) AS n FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'indexed'"));
    });
  });

  it('v17 → v18 (suggestion kind): questions from before keep their reading, a face of an unnamed cluster still asks for it', () => {
    const face = '(SELECT min(id) FROM faces)';
    const seed = (db: Database.Database) => {
      db.prepare('INSERT INTO people (name) VALUES (NULL)').run();
      db.prepare(
        `UPDATE faces SET person_id = (SELECT max(id) FROM people), assignment = 'auto', suggested_person_id = NULL, suggestion_value = 2 WHERE id = ${face}`,
      ).run();
    };
    withUpgrade(17, seed, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM faces WHERE suggestion_kind IS NOT NULL')).toBe(0);
      const [question] = reviewQueue(db);
      expect(question).toMatchObject({ kind: 'cluster', personId: null, faceId: db.prepare(`SELECT ${face}`).pluck().get() });
      expect(() => db.prepare(`UPDATE faces SET suggestion_kind = 'other' WHERE id = ${face}`).run()).toThrow(/CHECK/);
    });
  });

  it('v18 → v19 (face resolution): faces from before have none, so they keep the old founding bar until indexed again', () => {
    withUpgrade(18, undefined, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM faces')).toBeGreaterThan(0);
      expect(count(db, 'SELECT count(*) AS n FROM faces WHERE resolution IS NOT NULL')).toBe(0);
    });
  });

  it('v19 → v20 (person ids never reused): a person merged away does not hand its id to the next one', () => {
    withUpgrade(
      19,
      (old) => old.prepare('INSERT INTO people (name) VALUES (NULL)').run(),
      (db) => {
        const newest = count(db, 'SELECT max(id) AS n FROM people');
        const first = createPerson(db, null);
        expect(first).toBe(newest + 1);
        db.prepare('DELETE FROM people WHERE id = ?').run(first); // merged into another, say
        expect(createPerson(db, 'Mina')).toBe(first + 1); // before v20: first again
        db.prepare('INSERT INTO people (id, name) VALUES (?, NULL)').run(first + 10); // a row put back by an undo
        expect(createPerson(db, null)).toBe(first + 11);
      },
    );
  });
});

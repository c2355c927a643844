import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine';
import { buildLibraryAtVersion } from '../../fixtures/hardening/old-library';
import { tempDir } from '../../support/temp';

const HAEUNDAE = { lat: 35.1587, lon: 129.1604 };

/** Gives the library's first indexed photo Haeundae's GPS (plus whatever else `more` writes); returns its id. */
function geotagFirstPhoto(libraryDir: string, more: (db: Database.Database, photoId: number) => void = () => {}): number {
  const db = new Database(path.join(libraryDir, 'facet.db'));
  try {
    const photoId = (db.prepare("SELECT id FROM photos WHERE status = 'indexed' ORDER BY id LIMIT 1").get() as { id: number }).id;
    db.prepare('UPDATE photos SET gps_lat = ?, gps_lon = ? WHERE id = ?').run(HAEUNDAE.lat, HAEUNDAE.lon, photoId);
    more(db, photoId);
    return photoId;
  } finally {
    db.close();
  }
}

const placesOf = (engine: Engine) =>
  engine.library.db.prepare('SELECT photo_id AS photoId, nearest, city, region, country FROM photo_places ORDER BY photo_id').all();

describe('places in libraries made before them', () => {
  it('a v5 library (no places) gets its geotagged photos placed when opened, other data intact', () => {
    const dir = path.join(tempDir('facet-places-v5-'), 'library');
    const built = buildLibraryAtVersion(dir, 5);
    const photoId = geotagFirstPhoto(dir);
    const engine = Engine.open({ libraryDir: dir, modelsDir: tempDir('facet-no-models-') });
    try {
      expect(placesOf(engine)).toEqual([{ photoId, nearest: 'Dongnae', city: 'Busan', region: '10', country: 'KR' }]);
      expect(engine.library.db.prepare('SELECT count(*) AS n FROM photos').get()).toEqual({ n: built.photos });
    } finally {
      engine.close();
    }
  });

  it('a v8 library whose places lack the nearest town name gets it on open', () => {
    const dir = path.join(tempDir('facet-places-v8-'), 'library');
    buildLibraryAtVersion(dir, 8);
    const photoId = geotagFirstPhoto(dir, (db, id) =>
      db
        .prepare(
          "INSERT INTO photo_places (photo_id, lat, lon, nearest_id, city_id, city, region, country) VALUES (?, ?, ?, 1, 1838524, 'Busan', '10', 'KR')",
        )
        .run(id, HAEUNDAE.lat, HAEUNDAE.lon),
    );
    const engine = Engine.open({ libraryDir: dir, modelsDir: tempDir('facet-no-models-') });
    try {
      expect(placesOf(engine)).toEqual([{ photoId, nearest: 'Dongnae', city: 'Busan', region: '10', country: 'KR' }]);
      // opening again finds nothing to do
      expect(engine.library.db.prepare('SELECT count(*) AS n FROM photo_places WHERE nearest IS NULL').get()).toEqual({ n: 0 });
    } finally {
      engine.close();
    }
  });
});

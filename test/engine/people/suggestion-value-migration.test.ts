import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { Library } from '../../../src/engine/library/library';
import { reviewQueue } from '../../../src/engine/library/review-queue-store';
import { buildLibraryAtVersion } from '../../fixtures/hardening/old-library';
import { tempDir } from '../../support/temp';

it('v6 → v7: suggestions a v6 library holds stay in the review queue, most confident first', () => {
  const dir = tempDir('facet-v6-');
  buildLibraryAtVersion(dir, 6);
  const old = new Database(path.join(dir, 'facet.db'));
  const faces = old.prepare("SELECT id FROM faces WHERE assignment = 'auto' ORDER BY id").pluck().all() as number[];
  const bo = old.prepare("SELECT id FROM people WHERE name = 'Bo'").pluck().get() as number;
  old.prepare('UPDATE faces SET person_id = NULL, assignment = NULL WHERE id IN (?, ?)').run(faces[0], faces[1]);
  old.prepare('UPDATE faces SET suggested_person_id = ?, suggestion_confidence = ? WHERE id = ?').run(bo, 0.42, faces[0]);
  old.prepare('UPDATE faces SET suggested_person_id = ?, suggestion_confidence = ? WHERE id = ?').run(bo, 0.81, faces[1]);
  old.close();
  const library = Library.open(dir);
  expect(reviewQueue(library.db).map((q) => [q.faceId, q.personName, q.confidence, q.settles])).toEqual([
    [faces[1], 'Bo', 0.81, 1],
    [faces[0], 'Bo', 0.42, 1],
  ]);
  library.close();
});

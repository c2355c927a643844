import type { Db } from '../library/database';
import type { PersonRow } from './validation';

/**
 * Moves everything of `from` into `into` and deletes `from`: faces keep how they were assigned,
 * suggestions and rejections follow, and `into` inherits a name, birth date or cover it lacks.
 */
export function mergePersonRows(db: Db, from: PersonRow, into: PersonRow): void {
  db.prepare('UPDATE faces SET person_id = ? WHERE person_id = ?').run(into.id, from.id);
  db.prepare('UPDATE faces SET suggested_person_id = ? WHERE suggested_person_id = ?').run(into.id, from.id);
  db.prepare(`INSERT OR IGNORE INTO face_rejections (face_id, person_id)
              SELECT face_id, ? FROM face_rejections r WHERE r.person_id = ? AND NOT EXISTS (SELECT 1 FROM faces WHERE id = r.face_id AND person_id = ?)`).run(into.id, from.id, into.id);
  db.prepare('DELETE FROM people WHERE id = ?').run(from.id);
  db.prepare('UPDATE people SET name = COALESCE(name, ?), birth_date = COALESCE(birth_date, ?), cover_face_id = COALESCE(cover_face_id, ?) WHERE id = ?').run(
    from.name,
    from.birth_date,
    from.cover_face_id,
    into.id,
  );
}

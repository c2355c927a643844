import type { PersonSummary } from '../../common/api/people';
import type { Db } from './database';
import { prepared } from './statements';

/**
 * The cover: the user's choice, else the sharpest confirmed face among those nearly as sharp as the
 * person's best face (COVER_QUALITY_SHARE of it), else the sharpest face. A confirmed face is the person
 * for sure, but one accepted from a 55 % suggestion can be a blurry stranger: it must never beat a clearly
 * sharper face, while among faces of comparable quality the user's word wins.
 */
const COVER_QUALITY_SHARE = 0.8;
const PERSON_SELECT = `SELECT person.*, c.photo_id AS coverPhotoId, c.box_x, c.box_y, c.box_w, c.box_h, ph.width AS photoWidth, ph.height AS photoHeight
  FROM (SELECT p.id, p.name, p.hidden, p.birth_date AS birthDate,
    (SELECT COUNT(*) FROM faces f WHERE f.person_id = p.id) AS faceCount,
    COALESCE(p.cover_face_id, (SELECT f.id FROM faces f WHERE f.person_id = p.id ORDER BY (f.assignment = 'confirmed' AND f.quality >= ${COVER_QUALITY_SHARE} * (SELECT MAX(b.quality) FROM faces b WHERE b.person_id = p.id)) DESC, f.quality DESC, f.id LIMIT 1)) AS coverFaceId
    FROM people p) person
  LEFT JOIN faces c ON c.id = person.coverFaceId LEFT JOIN photos ph ON ph.id = c.photo_id`;

interface PersonQueryRow {
  id: number;
  name: string | null;
  hidden: number;
  birthDate: string | null;
  faceCount: number;
  coverFaceId: number | null;
  coverPhotoId: number | null;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  photoWidth: number | null;
  photoHeight: number | null;
}

const toSummary = (r: PersonQueryRow): PersonSummary => ({
  id: r.id,
  name: r.name,
  faceCount: r.faceCount,
  coverFaceId: r.coverFaceId,
  hidden: r.hidden === 1,
  cover:
    r.coverPhotoId !== null && r.photoWidth && r.photoHeight
      ? { photoId: r.coverPhotoId, box: [r.box_x, r.box_y, r.box_w, r.box_h], photoWidth: r.photoWidth, photoHeight: r.photoHeight }
      : null,
});

/** Named people first (by name), then clusters by size. */
export function personSummaries(db: Db, includeHidden: boolean): PersonSummary[] {
  const where = includeHidden ? '' : 'WHERE person.hidden = 0';
  return (
    prepared(
      db,
      `${PERSON_SELECT} ${where} ORDER BY person.name IS NULL, person.name COLLATE NOCASE, faceCount DESC, person.id`,
    ).all() as PersonQueryRow[]
  ).map(toSummary);
}

export function personSummary(db: Db, id: number): (PersonSummary & { birthDate: string | null }) | undefined {
  const row = prepared(db, `${PERSON_SELECT} WHERE person.id = ?`).get(id) as PersonQueryRow | undefined;
  return row && { ...toSummary(row), birthDate: row.birthDate };
}

export function confirmedFaceCount(db: Db, personId: number): number {
  return (prepared(db, "SELECT COUNT(*) AS n FROM faces WHERE person_id = ? AND assignment = 'confirmed'").get(personId) as { n: number })
    .n;
}

/** A person's faces, most confident first. */
export function personFaceIds(db: Db, personId: number, offset: number, limit: number): { id: number; photoId: number }[] {
  return prepared(db, 'SELECT id, photo_id AS photoId FROM faces WHERE person_id = ? ORDER BY confidence DESC, id LIMIT ? OFFSET ?').all(
    personId,
    limit,
    offset,
  ) as { id: number; photoId: number }[];
}

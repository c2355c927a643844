import type { FaceInfo } from '../../common/api/library';
import type { PersonDetail, PersonSummary, SuggestionInfo } from '../../common/api/people';
import type { Db } from '../library/database';
import { listFaces } from '../library/queries';
import { reviewQueue, reviewQueueSize } from './review-queue';
import { requirePerson } from './validation';

/**
 * The cover: the user's choice, else the person's best face: a good confirmed face first, then quality
 * (a confirmed but blurry face from a group photo makes a poor card).
 */
const PERSON_SELECT = `SELECT person.*, c.photo_id AS coverPhotoId, c.box_x, c.box_y, c.box_w, c.box_h, ph.width AS photoWidth, ph.height AS photoHeight
  FROM (SELECT p.id, p.name, p.hidden, p.birth_date AS birthDate,
    (SELECT COUNT(*) FROM faces f WHERE f.person_id = p.id) AS faceCount,
    COALESCE(p.cover_face_id, (SELECT f.id FROM faces f WHERE f.person_id = p.id ORDER BY (f.assignment = 'confirmed' AND f.quality >= 0.5) DESC, f.quality DESC, f.id LIMIT 1)) AS coverFaceId
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
export function listPeople(db: Db, options: { includeHidden?: boolean } = {}): PersonSummary[] {
  const where = options.includeHidden === false ? 'WHERE person.hidden = 0' : '';
  const rows = db.prepare(`${PERSON_SELECT} ${where} ORDER BY person.name IS NULL, person.name COLLATE NOCASE, faceCount DESC, person.id`).all() as PersonQueryRow[];
  return rows.map(toSummary);
}

export function getPerson(db: Db, id: number): PersonDetail {
  requirePerson(db, id);
  const row = db.prepare(`${PERSON_SELECT} WHERE person.id = ?`).get(id) as PersonQueryRow;
  const confirmedCount = db.prepare("SELECT COUNT(*) FROM faces WHERE person_id = ? AND assignment = 'confirmed'").pluck().get(id) as number;
  const suggestionCount = reviewQueueSize(db, id);
  return { ...toSummary(row), birthDate: row.birthDate, confirmedCount, suggestionCount };
}

/** A person's faces, as `facet faces` shows them, most confident first. */
export function personFaces(db: Db, id: number, offset = 0, limit = 500): FaceInfo[] {
  requirePerson(db, id);
  const rows = db
    .prepare('SELECT id, photo_id AS photoId FROM faces WHERE person_id = ? ORDER BY confidence DESC, id LIMIT ? OFFSET ?')
    .all(id, limit, offset) as { id: number; photoId: number }[];
  const byPhoto = new Map<number, FaceInfo[]>();
  for (const photoId of new Set(rows.map((r) => r.photoId))) byPhoto.set(photoId, listFaces(db, { photoId }));
  return rows.map((r) => byPhoto.get(r.photoId)!.find((f) => f.id === r.id)!).filter(Boolean);
}

/** The review queue (see review-queue.ts), of one person or all: the questions, clearest first. */
export function listSuggestions(db: Db, options: { personId?: number; offset?: number; limit?: number } = {}): SuggestionInfo[] {
  if (options.personId !== undefined) requirePerson(db, options.personId);
  return reviewQueue(db, options);
}

import type { FaceInfo } from '../../common/api/library';
import type { PersonDetail, PersonSummary, SuggestionInfo } from '../../common/api/people';
import { confirmedFaceCount, personFaceIds, personSummaries, personSummary } from '../library/people-list';
import type { Db } from '../library/database';
import { listFaces } from '../library/queries';
import { reviewQueue, reviewQueueSize } from '../library/review-queue-store';
import { requirePerson } from './validation';

/** Named people first (by name), then clusters by size. */
export function listPeople(db: Db, options: { includeHidden?: boolean } = {}): PersonSummary[] {
  return personSummaries(db, options.includeHidden !== false);
}

export function getPerson(db: Db, id: number): PersonDetail {
  requirePerson(db, id);
  const summary = personSummary(db, id)!;
  return { ...summary, confirmedCount: confirmedFaceCount(db, id), suggestionCount: reviewQueueSize(db, id) };
}

/** A person's faces, as `facet faces` shows them, most confident first. */
export function personFaces(db: Db, id: number, offset = 0, limit = 500): FaceInfo[] {
  requirePerson(db, id);
  const rows = personFaceIds(db, id, offset, limit);
  const byPhoto = new Map<number, FaceInfo[]>();
  for (const photoId of new Set(rows.map((r) => r.photoId))) byPhoto.set(photoId, listFaces(db, { photoId }));
  return rows.map((r) => byPhoto.get(r.photoId)!.find((f) => f.id === r.id)!).filter(Boolean);
}

/** The review queue (see library/review-queue-store.ts), of one person or all: the questions, clearest first. */
export function listSuggestions(
  db: Db,
  options: { personId?: number; unassigned?: boolean; offset?: number; limit?: number } = {},
): SuggestionInfo[] {
  if (options.personId !== undefined) requirePerson(db, options.personId);
  return reviewQueue(db, options);
}

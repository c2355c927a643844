import type { SuggestionInfo } from '../../common/api/people';
import type { Db } from './database';
import { prepared, preparedPluck } from './statements';

/**
 * The questions a user can answer, clearest first by expected value: faces whose answer names many
 * faces come before faces whose answer names one (an unnamed cluster is one question, asked through
 * its representative face; accepting names the whole cluster). Both the People page's review and a
 * person page's suggestion list read this, the latter with `personId`.
 */
const QUEUE = `FROM faces f JOIN people p ON p.id = f.suggested_person_id LEFT JOIN people own ON own.id = f.person_id
  WHERE p.name IS NOT NULL AND p.hidden = 0 AND f.suggestion_value IS NOT NULL AND (f.person_id IS NULL OR (own.name IS NULL AND own.hidden = 0))`;

export function reviewQueue(db: Db, options: { personId?: number; offset?: number; limit?: number } = {}): SuggestionInfo[] {
  const person = options.personId !== undefined ? 'AND p.id = @personId' : '';
  return prepared(
    db,
    `SELECT f.id AS faceId, f.photo_id AS photoId, f.suggested_person_id AS personId, p.name AS personName, f.suggestion_confidence AS confidence,
                CASE WHEN f.person_id IS NULL THEN 1 ELSE (SELECT COUNT(*) FROM faces m WHERE m.person_id = f.person_id) END AS settles
              ${QUEUE} ${person}
              ORDER BY f.suggestion_value DESC, f.suggestion_confidence DESC, f.id LIMIT @limit OFFSET @offset`,
  ).all({ personId: options.personId, limit: options.limit ?? 500, offset: options.offset ?? 0 }) as SuggestionInfo[];
}

/** How many questions the queue holds (for one person, or all): the "Review N faces" count. */
export function reviewQueueSize(db: Db, personId?: number): number {
  return preparedPluck(db, `SELECT COUNT(*) ${QUEUE} ${personId !== undefined ? 'AND p.id = ?' : ''}`).get(
    ...(personId !== undefined ? [personId] : []),
  ) as number;
}

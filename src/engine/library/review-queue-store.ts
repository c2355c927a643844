import type { SuggestionInfo } from '../../common/api/people';
import type { Db } from './database';
import { prepared, preparedPluck } from './statements';

/**
 * What a question is about: the face alone, or its unnamed cluster. Questions written before kinds
 * were stored (NULL) read as they always did: a face of an unnamed cluster asks for it. A face that
 * has left its cluster since (unassigned by an edit, or a re-cluster cut short) asks for itself
 * whatever was stored: there is no cluster left to name.
 */
const kindOf = (f: string) => `CASE WHEN ${f}.person_id IS NULL THEN 'face' ELSE COALESCE(${f}.suggestion_kind, 'cluster') END`;
const KIND = kindOf('f');

/**
 * The faces a cluster's question settles: its members, but not those asked about on their own (a
 * mixed cluster's members each have a question), so "Review N faces" counts every face once.
 */
const CLUSTER_SETTLES = `(SELECT COUNT(*) FROM faces m WHERE m.person_id = f.person_id
  AND (m.id = f.id OR m.suggestion_value IS NULL OR ${kindOf('m')} != 'face'))`;

/**
 * The questions a user can answer, clearest first by expected value: faces whose answer names many
 * faces come before faces whose answer names one (an unnamed cluster is one question, asked through
 * its representative face; a "yes" or a typed name names the whole cluster). A cluster no named
 * person explains is asked "Who is this?" (no suggested person). Both the People page's review and a
 * person page's suggestion list read this, the latter with `personId` (guesses of that person only),
 * and so does the People page's unassigned section (`unassigned`: faces that belong to nobody).
 */
const QUEUE = `FROM faces f LEFT JOIN people p ON p.id = f.suggested_person_id LEFT JOIN people own ON own.id = f.person_id
  WHERE f.suggestion_value IS NOT NULL AND (f.person_id IS NULL OR (own.name IS NULL AND own.hidden = 0))
    AND CASE WHEN f.suggested_person_id IS NULL THEN f.person_id IS NOT NULL AND ${KIND} = 'cluster' ELSE p.name IS NOT NULL AND p.hidden = 0 END`;

/** The People page's unassigned section: questions about faces that belong to nobody yet. */
const UNASSIGNED = 'AND f.person_id IS NULL';

/** Members shown with a cluster's question besides the face it is asked through. */
const SHOWN_MEMBERS = 3;

export function reviewQueue(
  db: Db,
  options: { personId?: number; unassigned?: boolean; offset?: number; limit?: number } = {},
): SuggestionInfo[] {
  const person = `${options.personId !== undefined ? 'AND p.id = @personId' : ''} ${options.unassigned ? UNASSIGNED : ''}`;
  const rows = prepared(
    db,
    `SELECT f.id AS faceId, f.photo_id AS photoId, f.suggested_person_id AS personId, p.name AS personName, f.suggestion_confidence AS confidence,
                f.person_id AS clusterId, ${KIND} AS kind,
                CASE WHEN ${KIND} = 'face' THEN 1 ELSE ${CLUSTER_SETTLES} END AS settles
              ${QUEUE} ${person}
              ORDER BY f.suggestion_value DESC, f.suggestion_confidence DESC, f.id LIMIT @limit OFFSET @offset`,
  ).all({ personId: options.personId, limit: options.limit ?? 500, offset: options.offset ?? 0 }) as Omit<
    SuggestionInfo,
    'faceIds' | 'photoIds'
  >[];
  // The cluster's most certain members: the faces the user sees, and the ones a typed name confirms.
  const members = prepared(
    db,
    `SELECT id, photo_id AS photoId FROM faces WHERE person_id = ? AND id != ?
              ORDER BY assignment IS 'confirmed' DESC, confidence DESC, quality DESC, id LIMIT ${SHOWN_MEMBERS}`,
  );
  return rows.map((row) => {
    const shown = [
      { id: row.faceId, photoId: row.photoId },
      ...(row.kind === 'face' ? [] : (members.all(row.clusterId, row.faceId) as { id: number; photoId: number }[])),
    ];
    return {
      ...row,
      faceIds: shown.map((f) => f.id),
      photoIds: shown.map((f) => f.photoId),
    };
  });
}

/** How many questions the queue holds (for one person, or all): the "Review N faces" count. */
export function reviewQueueSize(db: Db, personId?: number): number {
  return preparedPluck(db, `SELECT COUNT(*) ${QUEUE} ${personId !== undefined ? 'AND p.id = ?' : ''}`).get(
    ...(personId !== undefined ? [personId] : []),
  ) as number;
}

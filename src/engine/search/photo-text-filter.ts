import { FacetError } from '../../common/errors';
import type { Db } from '../library/database';
import { TextStore } from '../library/text-store';
import type { SqlPart } from './date-place-sql';
import { matchPhotoText, queryTerms } from './photo-text-match';

export interface PhotoTextHit {
  photoId: number;
  score: number;
}

/**
 * Photos whose recognised text matches every phrase (text written in the photo), with a score: the
 * weakest phrase's. Best first. Matching is done here, not in SQL, because it tolerates OCR slips
 * (photo-text-match.ts); `where` narrows the lines read to the photos the other filters allow.
 */
export function photoTextMatches(
  db: Db,
  phrases: readonly string[],
  where = "p.status = 'indexed'",
  params: readonly unknown[] = [],
): PhotoTextHit[] {
  for (const phrase of phrases) {
    if (queryTerms(phrase).length === 0)
      throw new FacetError('invalid_argument', `"${phrase}" has no letters or digits to look for in photos.`);
  }
  const lines = new TextStore(db).searchableLines(where, params);
  let scores: Map<number, number> | null = null;
  for (const phrase of phrases) {
    const matched = new Map(matchPhotoText(lines, phrase).map((m) => [m.photoId, m.score] as const));
    if (!scores) {
      scores = matched;
      continue;
    }
    const both = new Map<number, number>();
    for (const [id, score] of scores) {
      const other = matched.get(id);
      if (other !== undefined) both.set(id, Math.min(score, other));
    }
    scores = both;
  }
  return [...(scores ?? new Map<number, number>())]
    .map(([photoId, score]) => ({ photoId, score }))
    .sort((a, b) => b.score - a.score || a.photoId - b.photoId);
}

/**
 * The search filter's condition for "quoted words" and --text: the photo's recognised text matches
 * every phrase, case-insensitively, with OCR slips tolerated.
 */
export function photoTextClause(db: Db, phrases: readonly string[]): SqlPart {
  const ids = photoTextMatches(db, phrases).map((m) => m.photoId);
  return { sql: 'p.id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] };
}

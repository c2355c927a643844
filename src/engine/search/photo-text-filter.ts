import { FacetError } from '../../common/errors';
import type { Db } from '../library/database';
import type { SqlPart } from './date-place-sql';

/**
 * The seam for "quoted words" (text written in the photo): a condition over `photos p` that each
 * phrase must meet. Text recognition (OCR, issue #12 part 2) fills this in; until then a quoted
 * phrase is refused with a message rather than silently ignored.
 */
export function photoTextClause(_db: Db, phrases: readonly string[]): SqlPart {
  throw new FacetError('invalid_argument', `Searching for text written in photos ("${phrases[0]}") is not available yet: this Facet does not read text in photos. Remove the quotes to search for it visually.`);
}

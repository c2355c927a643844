import type { Migration } from './migration';

/**
 * The review queue's order: how many faces answering a face's suggestion is expected to name
 * (its confidence × the faces the answer settles). NULL for a face that is no question of its own
 * (no suggestion, or a member of an unnamed cluster asked through its representative face).
 */
export const migration007SuggestionValue: Migration = {
  version: 7,
  name: 'suggestion-value',
  up: (db) => {
    db.exec('ALTER TABLE faces ADD COLUMN suggestion_value REAL');
    // Existing suggestions keep their place in the queue (most confident first) until the next run.
    db.exec('UPDATE faces SET suggestion_value = suggestion_confidence WHERE suggested_person_id IS NOT NULL');
  },
};

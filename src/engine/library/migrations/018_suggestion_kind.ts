import type { Migration } from './migration';

/**
 * What a face's question is about: 'face' (this face alone: "Is this Alice?" about one face, even one
 * that sits in an unnamed cluster whose members disagree) or 'cluster' (the face asks for its whole
 * unnamed cluster: a "yes" or a typed name names all of it). NULL for questions written before: they
 * keep the old reading (a face in an unnamed cluster asks for it, a free face for itself).
 */
export const migration018SuggestionKind: Migration = {
  version: 18,
  name: 'suggestion-kind',
  up: (db) => {
    db.exec(`ALTER TABLE faces ADD COLUMN suggestion_kind TEXT CHECK (suggestion_kind IN ('face', 'cluster'))`);
  },
};

import { TextStore } from '../library/text-store';
import type { PhotoAnalyzer } from './analyzer';

/**
 * Text in photos is read by the `backfill-text` job after the index run, never here (its check alone
 * costs about twice the face pass). The index run only forgets what was read in a photo whose content
 * changed, in the photo's own transaction, so the job reads it again: no model, one indexed delete.
 */
export function createTextResetAnalyzer(): PhotoAnalyzer {
  return {
    name: 'text-reset',
    async analyze({ photoId }) {
      return (db) => {
        new TextStore(db).forget(photoId);
      };
    },
  };
}

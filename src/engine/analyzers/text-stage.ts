import { writeTextCheckImage } from '../imaging/text-check-image';
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

/**
 * Keeps this run's decode for the text job's check (text-check-image.ts): a few ms of encoding here
 * instead of decoding the original again there. Text work done in the index run, so `facet bench index`
 * counts it on the text side. It never fails the photo: without the file the check decodes the original.
 */
export function createTextCheckImageAnalyzer(thumbnailsDir: string): PhotoAnalyzer {
  return {
    name: 'text-check-image',
    async analyze({ photoId, decoded }) {
      await writeTextCheckImage(decoded.image, thumbnailsDir, photoId);
      return () => {};
    },
  };
}

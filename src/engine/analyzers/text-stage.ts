import fs from 'node:fs/promises';
import path from 'node:path';
import { removeTextCheckImage, writeTextCheckImage } from '../imaging/text-check-image';
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
 * At most this many check images per index run (~43 KB each, so ~860 MB). They wait for the text job,
 * which starts only after the run: without a cap a first import of 100,000 photos would hold over 4 GB
 * of transient files. Past it the check decodes the original, as for a library from before.
 */
export const TEXT_CHECK_IMAGES_PER_RUN = 20_000;

/**
 * Below this much free space no check image is written: the library's database, thumbnails and crops
 * need the room more than the text job needs a shortcut, and a disk filled by a shortcut would fail them.
 */
export const TEXT_CHECK_MIN_FREE_BYTES = 2 * 1024 ** 3;

export interface TextCheckImageLimits {
  perRun?: number;
  minFreeBytes?: number;
}

/**
 * Keeps this run's decode for the text job's check (text-check-image.ts): a few ms of encoding here
 * instead of decoding the original again there. Text work done in the index run, so `facet bench index`
 * counts it on the text side. It never fails the photo: without the file the check decodes the original.
 */
export function createTextCheckImageAnalyzer(thumbnailsDir: string, limits: TextCheckImageLimits = {}): PhotoAnalyzer {
  const perRun = limits.perRun ?? TEXT_CHECK_IMAGES_PER_RUN;
  const minFreeBytes = limits.minFreeBytes ?? TEXT_CHECK_MIN_FREE_BYTES;
  let started = 0;
  return {
    name: 'text-check-image',
    async analyze({ photoId, decoded }) {
      const withinCap = started < perRun;
      if (withinCap) started++; // before the await: several photos are analysed at once
      if (withinCap && (await freeBytes(thumbnailsDir)) >= minFreeBytes) await writeTextCheckImage(decoded.image, thumbnailsDir, photoId);
      // A check image of an earlier run shows the photo as it was: the check must decode the changed original.
      else await removeTextCheckImage(thumbnailsDir, photoId);
      return () => {};
    },
  };
}

/**
 * Free space for an unprivileged writer on the folder's disk (the nearest folder that exists: the
 * thumbnails folder appears with the first thumbnail); 0 when it cannot be read, since no shortcut is
 * better than a full disk.
 */
async function freeBytes(folder: string): Promise<number> {
  for (let at = folder; ; at = path.dirname(at)) {
    try {
      const stats = await fs.statfs(at);
      return stats.bavail * stats.bsize;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) return 0;
    }
  }
}

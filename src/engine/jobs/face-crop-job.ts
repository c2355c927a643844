import { z } from 'zod';
import type { Box } from '../../common/api/library';
import type { EngineContext } from '../context';
import { analysisLongSide, decodePhoto } from '../imaging/decode';
import { FACE_CROP_SIZE, encodeFaceCrop, writeFaceCrop } from '../imaging/face-crop';
import { JobStore } from '../library/job-store';
import { type PhotoLackingCrops, countPhotosLackingFaceCrops, photosLackingFaceCrops, setFaceCrop } from '../library/face-store';
import { detailLongSide } from '../ml/faces/face-analyzer';
import type { JobKindHandler } from './job-kind';

/** Photos read from the database at a time: the backfill of a large library never holds the whole list. */
const BATCH = 64;

/**
 * Crops for faces that have none: libraries indexed before Facet stored them (and any face whose crop
 * could not be written). One decode per photo, at the size indexing would have aligned its faces from
 * (the analysis size, or the detail size when a face is small), so a backfilled crop is the same as
 * one made by indexing today. One transaction per photo, so a stopped job resumes at the next photo.
 */
export const backfillFaceCropsJob: JobKindHandler<Record<string, never>> = {
  params: z.object({}).strict() as z.ZodType<Record<string, never>>,
  subject: () => 'faces',
  async run(ctx, _params, control) {
    const db = ctx.library.db;
    control.setTotal(control.job.done + countPhotosLackingFaceCrops(db));
    let made = 0;
    // A cursor, not "what still lacks crops": a photo whose original cannot be read stays without
    // and must not be met again in this run.
    for (let after = 0, batch = photosLackingFaceCrops(db, BATCH); batch.length > 0; batch = photosLackingFaceCrops(db, BATCH, after)) {
      for (const photo of batch) {
        after = photo.id;
        control.checkpoint();
        let crops: (Buffer | null)[];
        try {
          crops = await cropsOf(photo);
        } catch {
          control.photoFailed(); // unreadable now: the app keeps cutting these faces from the thumbnail
          continue;
        }
        db.transaction(() => {
          crops.forEach((crop, i) => {
            if (!crop) return;
            writeFaceCrop(ctx.library.paths.thumbnails, photo.faces[i]!.id, crop);
            setFaceCrop(db, photo.faces[i]!.id, FACE_CROP_SIZE);
          });
          control.photoDone(db, photo.id);
        }).immediate();
        made++;
      }
    }
    if (made > 0) ctx.emit('library.changed', { reason: 'people' });
  },
};

/** The photo decoded once, each face cut from that decode (boxes are in original pixels). */
async function cropsOf(photo: PhotoLackingCrops): Promise<(Buffer | null)[]> {
  const originalLongSide = Math.max(photo.width, photo.height);
  const analysis = analysisLongSide(originalLongSide);
  const scale = analysis / originalLongSide;
  const smallest = Math.min(...photo.faces.map((f) => Math.min(f.box[2], f.box[3]) * scale));
  const decoded = await decodePhoto(photo.path, { longSide: detailLongSide(analysis, scale, smallest) ?? analysis });
  return Promise.all(photo.faces.map((face) => encodeFaceCrop(decoded.image, scaleBox(face.box, decoded.scale)).catch(() => null)));
}

function scaleBox([x, y, w, h]: Box, scale: number): Box {
  return [x * scale, y * scale, w * scale, h * scale];
}

/** Queues the crop backfill when some face of an indexed photo has no crop (at open, and after backfills). */
export function enqueueFaceCropBackfill(ctx: Pick<EngineContext, 'library'>): boolean {
  if (photosLackingFaceCrops(ctx.library.db, 1).length === 0) return false;
  new JobStore(ctx.library.db).enqueue('backfill-face-crops', {});
  return true;
}

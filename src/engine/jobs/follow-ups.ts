import type { EngineContext } from '../context';
import { JobStore } from '../library/job-store';
import { enqueueFaceCropBackfill } from './face-crop-job';
import { photosLackingFaces } from '../library/backfill-queries';
import { photosWithoutEmbedding } from '../library/image-vectors';
import { TextStore } from '../library/text-store';
import { textModelInUse } from './text-setting';

/**
 * Queues the backfills the installed models call for: CLIP vectors for every installed CLIP model that
 * does not cover every indexed photo, faces for photos indexed while no face model was installed, and
 * text in the photos the text models have not looked at yet (unless text reading is off); crops for faces
 * that have none.
 * Called after an index run and whenever a model is installed; enqueueing is idempotent.
 */
export function enqueueBackfills(ctx: EngineContext): number {
  const store = new JobStore(ctx.library.db);
  let queued = 0;
  const faceInstalled = ctx.models.installedFor('face-detection').length > 0 && ctx.models.installedFor('face-embedding').length > 0;
  if (faceInstalled && photosLackingFaces(ctx.library.db, 1).length > 0) {
    store.enqueue('backfill-faces', {});
    queued++;
  }
  if (enqueueFaceCropBackfill(ctx)) queued++;
  // Text in photos is read here, never inside the index run: its check alone costs about twice the face
  // pass, so photos and people arrive first. New photos, photos indexed before Facet read text, and all
  // of them again when a recogniser was added (the model id names every recogniser in use).
  const ocrModelId = textModelInUse(ctx);
  if (ocrModelId !== null && new TextStore(ctx.library.db).hasPhotosNeedingText(ocrModelId)) {
    store.enqueue('backfill-text', {});
    queued++;
  }
  for (const model of ctx.models.installedFor('clip')) {
    if (photosWithoutEmbedding(ctx.library.db, model.id, 1).length === 0) continue;
    store.enqueue('backfill-clip', { modelId: model.id });
    queued++;
  }
  if (queued) ctx.emit('jobs.changed', { reason: 'progress' });
  return queued;
}

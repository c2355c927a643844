import { z } from 'zod';
import { decodePhoto } from '../imaging/decode';
import { runAfterCommit } from '../analyzers/analyzer';
import { createFaceAnalyzer } from '../analyzers/face-stage';
import { photosLackingFaces, setFaceModel } from '../library/backfill-queries';
import { runIncrementalClustering } from '../people/incremental-clustering';
import { backfillClipEmbeddings } from '../analyzers/clip-stage';
import type { JobKindHandler } from './job-kind';

const clipParams = z.object({ modelId: z.string().min(1) });

/**
 * CLIP vectors for every indexed photo this model lacks: one reduced-size decode per photo (as
 * indexing), no face models, one transaction per photo.
 */
export const backfillClipJob: JobKindHandler<z.infer<typeof clipParams>> = {
  params: clipParams,
  subject: (p) => p.modelId,
  async run(ctx, { modelId }, control) {
    const clip = await ctx.clip.load(modelId);
    const remaining = await backfillClipEmbeddings(ctx.library, clip, modelId, {
      decode: async (file) => (await decodePhoto(file)).image,
      signal: control.signal,
      skip: control.donePhotos,
      batchSize: 4,
      onPhotoWritten: (db, photoId) => control.photoDone(db, photoId),
      onPhotoFailed: () => control.photoFailed(),
      onProgress: (done, total) => {
        if (done <= 4) control.setTotal(control.job.done + total);
      },
    });
    control.checkpoint();
    if (remaining.embedded > 0) ctx.emit('library.changed', { reason: 'indexed' });
  },
};

/**
 * Faces for photos indexed while no face model was installed: the same analysis as indexing, on one
 * decode per photo, then people are updated.
 */
export const backfillFacesJob: JobKindHandler<Record<string, never>> = {
  params: z.object({}).strict() as z.ZodType<Record<string, never>>,
  subject: () => 'faces',
  async run(ctx, _params, control) {
    const models = await ctx.faceModels();
    const analyzer = createFaceAnalyzer(models, ctx.library.paths.thumbnails);
    const pending = photosLackingFaces(ctx.library.db).filter((p) => !control.donePhotos.has(p.id));
    control.setTotal(control.job.done + pending.length);
    const db = ctx.library.db;
    for (const photo of pending) {
      control.checkpoint();
      let write;
      try {
        const decoded = await decodePhoto(photo.path);
        write = await analyzer.analyze({ photoId: photo.id, decoded, decodeDetail: (longSide) => decodePhoto(photo.path, { longSide }) });
      } catch {
        control.photoFailed(); // unreadable now: indexing reports the file; it stays without faces
        continue;
      }
      const outcome = db
        .transaction(() => {
          const written = write(db);
          setFaceModel(db, photo.id, models.embedderId);
          control.photoDone(db, photo.id);
          return written;
        })
        .immediate();
      runAfterCommit([outcome]);
    }
    runIncrementalClustering(ctx.library);
    ctx.emit('library.changed', { reason: 'people' });
  },
};

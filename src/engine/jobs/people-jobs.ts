import { z } from 'zod';
import { runIncrementalClustering } from '../people/incremental-clustering';
import { exportXmpSidecars } from '../people/xmp-export';
import { conceptPhotos, saveUserConcept, tagPhotosWithConcept } from '../search/tags';
import type { JobKindHandler } from './job-kind';

/**
 * After people edits: faces set free are decided again and suggestions follow the new names. Queued
 * (debounced) by every edit, so a burst of edits is one run, always in the job runner's process.
 */
export const resuggestJob: JobKindHandler<Record<string, never>> = {
  params: z.object({}) as z.ZodType<Record<string, never>>,
  subject: () => 'people',
  async run(ctx) {
    runIncrementalClustering(ctx.library);
    ctx.emit('library.changed', { reason: 'people' });
  },
};

const reclusterParams = z.object({ full: z.boolean().default(false) });
export const reclusterJob: JobKindHandler<z.infer<typeof reclusterParams>> = {
  params: reclusterParams,
  subject: (p) => (p.full ? 'people (full)' : 'people'),
  async run(ctx, { full }) {
    runIncrementalClustering(ctx.library, { full });
    ctx.emit('library.changed', { reason: 'people' });
  },
};

const conceptParams = z.object({ name: z.string().min(1), prompt: z.string().optional() });
/**
 * Tags the photos already embedded with a concept the user saved, in batches that each record their
 * photos, so a killed run resumes without scoring a photo twice. Returns the photos carrying it.
 */
export const tagConceptJob: JobKindHandler<z.infer<typeof conceptParams>> = {
  params: conceptParams,
  subject: (p) => p.name,
  async run(ctx, { name, prompt }, control) {
    const clip = await ctx.clip.search(ctx.library);
    const saved = saveUserConcept(ctx.library, clip, name, prompt);
    await tagPhotosWithConcept(ctx.library, clip, saved.name, saved.prompt, {
      skip: control.donePhotos,
      onTotal: (total) => control.setTotal(total),
      onPhotoScored: (db, photoId) => control.photoDone(db, photoId),
      checkpoint: () => control.checkpoint(),
    });
    ctx.emit('library.changed', { reason: 'tags' });
    return { ...saved, photos: conceptPhotos(ctx.library, saved.name, clip.modelId) };
  },
};

/**
 * Writes the XMP sidecars of photos with named people. Each written photo is recorded (a sidecar is
 * renamed into place whole, so one interrupted between write and record is only written again, same bytes).
 */
export const exportXmpJob: JobKindHandler<Record<string, never>> = {
  params: z.object({}) as z.ZodType<Record<string, never>>,
  subject: () => 'XMP sidecars',
  async run(ctx, _params, control) {
    const result = exportXmpSidecars(ctx.library, {
      skip: control.donePhotos,
      onTotal: (total) => control.setTotal(total),
      onPhotoWritten: (photoId) => control.photoDone(ctx.library.db, photoId),
      checkpoint: () => control.checkpoint(),
    });
    for (let i = 0; i < result.skipped.length; i++) control.photoFailed();
    return result;
  },
};

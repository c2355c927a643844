import { z } from 'zod';
import { runIncrementalClustering } from '../people/incremental-clustering';
import { exportXmpSidecars } from '../people/xmp-export';
import { addConcept } from '../search/tags';
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
/** Tags the library's photos with a concept the user saved. */
export const tagConceptJob: JobKindHandler<z.infer<typeof conceptParams>> = {
  params: conceptParams,
  subject: (p) => p.name,
  async run(ctx, { name, prompt }) {
    await addConcept(ctx.library, await ctx.clip.search(ctx.library), name, prompt);
    ctx.emit('library.changed', { reason: 'tags' });
  },
};

export const exportXmpJob: JobKindHandler<Record<string, never>> = {
  params: z.object({}) as z.ZodType<Record<string, never>>,
  subject: () => 'XMP sidecars',
  async run(ctx) {
    exportXmpSidecars(ctx.library);
  },
};

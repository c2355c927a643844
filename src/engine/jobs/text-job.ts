import { z } from 'zod';
import { runTextPass } from './text-pass';
import { readsText } from './text-setting';
import type { JobKindHandler } from './job-kind';

/**
 * Text in photos for indexed photos the current text models have not read: the photos of the last index
 * run (queued after every run, so indexing itself does no text work), photos indexed before Facet read
 * text, or all of them again when a recogniser was added (the Korean one). The check on each photo, the
 * full read where it sees text; one transaction per photo, resumable.
 */
export const backfillTextJob: JobKindHandler<Record<string, never>> = {
  params: z.object({}).strict() as z.ZodType<Record<string, never>>,
  subject: () => 'text in photos',
  async run(ctx, _params, control) {
    // Queued before text reading was turned off: nothing to do now; turning it on (or the next index run
    // with text on) queues it again. Turned off while it runs: it stops after the photo in hand.
    if (!readsText(ctx)) return;
    const models = await ctx.ocrModels();
    const result = await runTextPass(ctx.library, models, {
      signal: control.signal,
      keepGoing: () => readsText(ctx),
      skip: control.donePhotos,
      onTotal: (total) => control.setTotal(control.job.done + total),
      onPhotoWritten: (db, photoId) => control.photoDone(db, photoId),
      onPhotoFailed: () => control.photoFailed(),
    });
    control.checkpoint();
    if (result.read > 0) ctx.emit('library.changed', { reason: 'indexed' });
  },
};

import { z } from 'zod';
import type { PhotoAnalyzer } from '../analyzers/analyzer';
import { prepareIndexRun } from './run-index';
import { enqueueBackfills } from './follow-ups';
import type { JobControl, JobKindHandler } from './job-kind';

const params = z.object({ folders: z.array(z.string().min(1)).min(1) });

/**
 * "Index these folders" as a job: the run skips what is already indexed (so a resumed job never redoes
 * a finished photo), counts each photo it commits in that photo's transaction, updates people, then
 * queues the backfills the installed models call for.
 */
export const indexJob: JobKindHandler<z.infer<typeof params>> = {
  params,
  subject: (p) => p.folders.join(', '),
  async run(ctx, { folders }, control) {
    const before = control.job.done;
    let failedSeen = 0;
    await ctx.indexer.run(async () => ({
      ...(await prepareIndexRun(ctx, folders, { extraAnalyzers: [jobBookkeeping(control)] })),
      signal: control.signal,
      lockHeld: true,
      onProgress: (progress) => {
        if (progress.phase === 'indexing' && progress.done === 0) control.setTotal(before + progress.total);
        for (; failedSeen < progress.failed; failedSeen++) control.photoFailed();
      },
    }));
    ctx.emit('library.changed', { reason: 'indexed' });
    enqueueBackfills(ctx);
  },
};

/** A pseudo-analyzer whose write runs last in each photo's transaction: the job's "photo done". */
function jobBookkeeping(control: JobControl): PhotoAnalyzer {
  return {
    name: 'job',
    async analyze({ photoId }) {
      // A file changed since an interrupted run is analysed again, but is not counted twice.
      return (db) => {
        if (!control.donePhotos.has(photoId)) control.photoDone(db, photoId);
      };
    },
  };
}

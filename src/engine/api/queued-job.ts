import type { JobKind } from '../../common/api/jobs';
import type { EngineContext } from '../context';

/**
 * A channel whose work is a persistent job: queued, then run by the app worker's background runner
 * (the call returns at once, `pending`, with the job id; jobs.changed and the job's own event follow),
 * or, in a process without one (the CLI, tests), run here in the foreground with its result.
 */
export async function queuedJob<R>(
  ctx: EngineContext,
  kind: JobKind,
  params: object,
): Promise<{ jobId: number; pending: boolean; result: R | undefined }> {
  const job = ctx.jobs.enqueue(kind, params);
  if (ctx.jobs.started) return { jobId: job.id, pending: true, result: undefined };
  return { jobId: job.id, pending: false, result: (await ctx.jobs.runHere(job.id)) as R | undefined };
}

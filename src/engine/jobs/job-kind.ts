import type { z } from 'zod';
import type { JobKind } from '../../common/api/jobs';
import type { EngineContext } from '../context';
import type { Db } from '../library/database';
import type { JobRow } from '../library/job-store';

/** What a running job may do besides its own work: report progress, stop when asked, queue follow-ups. */
export interface JobControl {
  readonly job: JobRow;
  /** Aborted when the job is paused or cancelled (from any process) or the runner stops. */
  readonly signal: AbortSignal;
  /** Photos this job finished before (a resumed job skips them). */
  readonly donePhotos: ReadonlySet<number>;
  setTotal(total: number): void;
  /** Records a finished photo: call inside the photo's own write transaction. */
  photoDone(db: Db, photoId: number): void;
  photoFailed(): void;
  /** Throws 'cancelled' when the job should stop; call between photos. */
  checkpoint(): void;
}

/** One kind of job: how to read its params, how to name its subject, how to run it. */
export interface JobKindHandler<P = unknown> {
  params: z.ZodType<P>;
  subject(params: P): string;
  /** What it returns is kept for a foreground caller in the same process (the CLI prints it). */
  run(ctx: EngineContext, params: P, control: JobControl): Promise<unknown>;
}

/** Methods (not function properties) above keep a handler of specific params assignable here. */
export type JobKindHandlers = Record<JobKind, JobKindHandler<unknown>>;

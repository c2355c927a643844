import type { JobInfo, JobState } from '../common/api/jobs';
import type { TextCounts } from '../engine/library/text-store';

/**
 * What `facet index --json` says about text in photos. Text is no longer read inside the index run:
 * the run queues the `backfill-text` job, which `facet index` then runs in the foreground. This is that
 * job's outcome, in the place the run's own `text` result used to be.
 */
export interface IndexTextSummary {
  /** false with --no-text, with the library's "read text" setting off, or when the manifest has no text models. */
  reading: boolean;
  /** The `backfill-text` job this command ran; null when there was nothing new to read. */
  job: { id: number; state: JobState; error: string | null } | null;
  /** Photos the job looked at: the low-resolution check, and the full read where it saw text. */
  checked: number;
  /** Photos it could not read (kept with the reason; see `facet text <photo>`). */
  failed: number;
  /** Photos in which this command found text for the first time. */
  found: number;
  /** Photos of the library with text, after this command. */
  withText: number;
  /** Indexed photos still waiting for text (the job failed or was stopped; the next run goes on). */
  pending: number;
}

export function indexTextSummary(before: TextCounts | null, after: TextCounts | null, followUps: readonly JobInfo[]): IndexTextSummary {
  const job = followUps.filter((j) => j.kind === 'backfill-text').at(-1);
  return {
    reading: after !== null,
    job: job ? { id: job.id, state: job.state, error: job.error } : null,
    checked: job?.done ?? 0,
    failed: job?.failed ?? 0,
    found: Math.max(0, (after?.withText ?? 0) - (before?.withText ?? 0)),
    withText: after?.withText ?? 0,
    pending: after?.pending ?? 0,
  };
}

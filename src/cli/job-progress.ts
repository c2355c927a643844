import type { JobInfo } from '../common/api/jobs';
import { formatSeconds } from './progress-bar';

/** One rewritten line per running job on a terminal (stderr); silent when output is piped. */
export function jobProgressLine(stream: NodeJS.WritableStream & { isTTY?: boolean }): {
  update(running: JobInfo | undefined): void;
  done(): void;
} {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  return {
    update(job) {
      const now = Date.now();
      if (!job || job.kind === 'index' || now - last < 100) return; // index jobs draw their own bar
      last = now;
      stream.write(`\r${describeJobProgress(job)}\u001b[K`);
    },
    done() {
      stream.write('\r\u001b[K');
    },
  };
}

export function describeJobProgress(job: JobInfo): string {
  const count = job.total === null ? `${job.done}` : `${job.done}/${job.total}`;
  const rate = job.rate ? ` ${job.rate.toFixed(1)} photos/s` : '';
  const eta = job.etaSeconds !== null ? ` ETA ${formatSeconds(job.etaSeconds)}` : '';
  const failed = job.failed ? `, ${job.failed} failed` : '';
  return `${job.kind} ${job.subject}: ${count}${failed}${rate}${eta}`;
}

/** `facet jobs`: one line per job. */
export function describeJobs(jobs: JobInfo[]): string {
  if (jobs.length === 0) return 'No jobs.';
  return jobs
    .map((j) => `${String(j.id).padStart(4)}  ${j.state.padEnd(9)} ${describeJobProgress(j)}${j.error ? `  (${j.error})` : ''}`)
    .join('\n');
}

import { z } from 'zod';
import { channel } from './channel';

/**
 * Kinds of background work the engine knows. Open on purpose: a new analysis (e.g. OCR) adds its kind
 * here and its handler in src/engine/jobs/kinds.ts.
 */
export const JOB_KINDS = [
  'index',
  'backfill-clip',
  'backfill-faces',
  'backfill-face-crops',
  'backfill-text',
  'recluster',
  'resuggest',
  'tag-concept',
  'export-xmp',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

/** One job of the queue as `facet jobs --json` and the app's Indexing page see it. */
export interface JobInfo {
  id: number;
  kind: JobKind;
  /** What the job works on, in words ("/home/me/Pictures", "clip-vit-b32-openai"). */
  subject: string;
  params: Record<string, unknown>;
  state: JobState;
  done: number;
  failed: number;
  /** null until the job has counted its work. */
  total: number | null;
  /** Photos per second over the last ones (running job only), and the seconds left at that rate. */
  rate: number | null;
  etaSeconds: number | null;
  /** Why it failed (state 'failed'). */
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

const jobId = z.number().int().positive();

export const jobsChannels = {
  /** Unfinished jobs plus the most recent finished ones; in the worker, which knows the running job's rate. */
  'jobs.list': channel<JobInfo[]>('worker')(z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict()),
  /** Stops the job after the photo in hand (nothing half-written); `jobs.resume` goes on from there. */
  'jobs.pause': channel<JobInfo>('worker')(z.object({ id: jobId }).strict()),
  'jobs.resume': channel<JobInfo>('worker')(z.object({ id: jobId }).strict()),
  /** The photos already done stay done; the rest is not worked on. */
  'jobs.cancel': channel<JobInfo>('worker')(z.object({ id: jobId }).strict()),
} as const;

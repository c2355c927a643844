import type { IndexProgress } from './library';

/** The app's background worker (the utility process that runs every model), as the window sees it. */
export interface WorkerStatus {
  /** `crashed`: it crashed too often in a short time and waits for the user to restart it. */
  state: 'starting' | 'ready' | 'restarting' | 'crashed';
  /** Crashes in the last minute. */
  crashes: number;
  /** What went wrong last, for the user; null when all is well. */
  message: string | null;
}

/** A folder the app cannot watch for new photos (no permission, a link loop, the OS watch limit). */
export interface WatcherProblem {
  folder: string | null;
  code: string;
  message: string;
}

/** Events the engine pushes to the app (main → renderer), one payload type per name. */
export interface ApiEvents {
  'index.progress': IndexProgress;
  /** What changed, so each view reloads only what it shows: a saved concept changes tags, not the grid or People. */
  'library.changed': { reason: 'indexed' | 'people' | 'folders' | 'models' | 'tags' };
  'models.downloadProgress': { modelId: string; receivedBytes: number; totalBytes: number | null };
  'worker.status': WorkerStatus;
  'watcher.error': WatcherProblem;
  /** The job queue changed (a job queued, progressed, finished, paused...): read it with jobs.list. */
  'jobs.changed': { reason: 'progress' | 'error'; message?: string };
}
export type EventName = keyof ApiEvents;
export const EVENT_NAMES: EventName[] = [
  'index.progress',
  'library.changed',
  'models.downloadProgress',
  'worker.status',
  'watcher.error',
  'jobs.changed',
];

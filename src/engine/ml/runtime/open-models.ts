import os from 'node:os';
import type { Device } from '../../../common/api/device';
import { chooseExecutionProviders } from './execution-providers';
import { createSession, currentEnvironment } from './session';
import type { InferencePurpose, SessionPool } from './session-pool';
import { type RunnableSession, WorkerSessions } from './worker-sessions';

const CORES = os.availableParallelism();

/** The text models' worker threads on CPU: one per core, at most four (the text job is nearly all inference). */
export const INFERENCE_WORKERS = Math.min(4, CORES);

/**
 * The worker threads of a set of models on CPU. The face models get one core fewer, at most three: the
 * index run's own JavaScript (alignment, quality, tensors, SQLite) keeps the main thread busy beside
 * them. Measured on 2 cores (`facet index` of 60 12 MP JPEGs, alternating): one face worker 2.86-3.20 s
 * and 366-377 MB of peak RSS, two 3.45-3.48 s and 437-444 MB.
 */
export function workerThreadsFor(purpose: InferencePurpose): number {
  return purpose === 'face' ? Math.max(1, Math.min(3, CORES - 1)) : INFERENCE_WORKERS;
}

export interface OpenedModels {
  /** One per file, in order. */
  sessions: RunnableSession[];
  provider: string;
  /** Why they run on CPU although a GPU was asked for. */
  fallbackReason?: string;
}

/**
 * Opens a set of models for the indexer. On CPU with two cores or more, in worker threads
 * (worker-sessions.ts, workerThreadsFor), so the photos in flight use every core: onnxruntime-node runs a session
 * on the JavaScript thread that calls it, so on the main thread every model of the process takes turns on
 * one core while the other waits. Otherwise (a GPU, one core, or a system where onnxruntime cannot start
 * in a worker) one session per model on this thread, one intra-op thread each: several photos in flight
 * fill the cores without onnxruntime's own threads competing with sharp's decoders.
 *
 * `sessions` is the engine's pool (status lists what it opened, Engine.close releases it); without one
 * (tests, benches) the sessions are the caller's. `inWorkers: false` keeps them on this thread (tests
 * compare the two).
 */
export async function openModels(
  files: readonly string[],
  device: Device,
  { purpose, sessions, inWorkers = true }: { purpose: InferencePurpose; sessions?: SessionPool; inWorkers?: boolean },
): Promise<OpenedModels> {
  return (inWorkers ? await openInWorkers(files, device, purpose, sessions) : null) ?? (await openOnThisThread(files, device, sessions));
}

async function openInWorkers(
  files: readonly string[],
  device: Device,
  purpose: InferencePurpose,
  sessions?: SessionPool,
): Promise<OpenedModels | null> {
  const env = currentEnvironment();
  const plan = chooseExecutionProviders(env.platform, env.arch, device, env.available);
  // One core: nothing runs beside the main thread, so nothing to gain.
  if (plan.providers[0] !== 'cpu' || CORES < 2) return null;
  const size = workerThreadsFor(purpose);
  try {
    const pool = await (sessions ? sessions.inWorkers(files, size, purpose, plan.fallbackReason) : WorkerSessions.open(files, size));
    if (plan.fallbackReason) warnOnce(`gpu:${plan.fallbackReason}`, `[facet] GPU requested but ${plan.fallbackReason}.`);
    return {
      sessions: files.map((file) => pool.session(file)),
      provider: 'cpu',
      ...(plan.fallbackReason ? { fallbackReason: plan.fallbackReason } : {}),
    };
  } catch (error) {
    // Still works, more slowly (on two cores one waits): say so once (the app's worker forwards this to
    // its log file), and `facet status` / library.status show it (SessionPool.workerThreads).
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!; // not a failed require's stack
    warnOnce(
      `workers:${purpose}`,
      `[facet] The ${purpose} models run on the main thread: their ${size} worker threads did not start (${reason}).`,
    );
    return null;
  }
}

async function openOnThisThread(files: readonly string[], device: Device, sessions?: SessionPool): Promise<OpenedModels> {
  const open = (file: string) => (sessions ? sessions.create(file, { device, threads: 1 }) : createSession(file, { device, threads: 1 }));
  const created = await Promise.all(files.map(open));
  const { provider, fallbackReason } = created[0]!;
  return { sessions: created.map((c) => c.session), provider, ...(fallbackReason ? { fallbackReason } : {}) };
}

const warned = new Set<string>();

function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(message);
}

import path from 'node:path';
import type { WorkerThreads } from '../../../common/api/library';
import { type CreatedSession, type RuntimeEnvironment, type SessionOptions, createSession, currentEnvironment } from './session';
import { WorkerSessions } from './worker-sessions';

/** What a set of models in worker threads is for (status reports each). */
export type InferencePurpose = 'face' | 'text';

/**
 * The onnxruntime sessions of one engine: one per (model path, device, threads), shared by its users
 * (a session holds its weights and thread pool, so opening a model twice only costs memory), and
 * released by Engine.close(). Owned by the engine, never module-level, so two engines in one process
 * share nothing, and status reports the provider of the process that actually runs the models.
 */
export class SessionPool {
  private readonly sessions = new Map<string, { modelPath: string; pending: Promise<CreatedSession> }>();
  private last: { provider: string; fallbackReason?: string } | null = null;
  private readonly workerPools = new Map<string, { modelPaths: readonly string[]; pending: Promise<WorkerSessions> }>();
  private workerOutcomes: Record<InferencePurpose, WorkerThreads | null> = { face: null, text: null };

  create(modelPath: string, options: SessionOptions, env: RuntimeEnvironment = currentEnvironment()): Promise<CreatedSession> {
    const key = [modelPath, options.device, options.threads ?? 0, env.platform, env.arch, env.available.join(',')].join('\0');
    let entry = this.sessions.get(key);
    if (!entry) {
      entry = { modelPath, pending: createSession(modelPath, options, env) };
      this.sessions.set(key, entry);
      entry.pending.catch(() => this.sessions.delete(key));
    }
    return entry.pending.then((created) => {
      this.last = { provider: created.provider, ...(created.fallbackReason ? { fallbackReason: created.fallbackReason } : {}) };
      return created;
    });
  }

  /**
   * The models opened together in `size` worker threads on CPU (worker-sessions.ts), shared like the
   * sessions and released with them. Rejects when onnxruntime cannot start in a worker. `fallbackReason`:
   * why they run on CPU although a GPU was asked for (status shows it, as for a session).
   */
  inWorkers(modelPaths: readonly string[], size: number, purpose: InferencePurpose, fallbackReason?: string): Promise<WorkerSessions> {
    const key = [...modelPaths, size].join('\0');
    let pool = this.workerPools.get(key);
    if (!pool) {
      pool = { modelPaths, pending: WorkerSessions.open(modelPaths, size) };
      this.workerPools.set(key, pool);
      pool.pending.catch(() => this.workerPools.delete(key));
    }
    return pool.pending.then(
      (workers) => {
        this.workerOutcomes[purpose] = { size, failed: null };
        // Workers run on CPU: the provider status shows, like a session's (null before any model is open).
        this.last = { provider: 'cpu', ...(fallbackReason ? { fallbackReason } : {}) };
        return workers;
      },
      (error: unknown) => {
        this.workerOutcomes[purpose] = { size, failed: (error instanceof Error ? error.message : String(error)).split('\n')[0]! };
        throw error;
      },
    );
  }

  /** For each purpose, whether its models got worker threads (null: none asked for yet), and if not, why. */
  get workerThreads(): Record<InferencePurpose, WorkerThreads | null> {
    return { ...this.workerOutcomes };
  }

  /** The provider of the most recently handed-out session, or null before any. */
  get provider(): string | null {
    return this.last?.provider ?? null;
  }

  /** Why sessions run on CPU although a GPU was asked for, if they do. */
  get fallbackReason(): string | null {
    return this.last?.fallbackReason ?? null;
  }

  /** The model files with an open session (for status: "models loaded"). */
  get loaded(): string[] {
    return [
      ...new Set(
        [...this.sessions.values(), ...[...this.workerPools.values()].flatMap((p) => p.modelPaths.map((modelPath) => ({ modelPath })))].map(
          (e) =>
            path.basename(path.dirname(e.modelPath)) === 'visual' || path.basename(path.dirname(e.modelPath)) === 'textual'
              ? `${path.basename(path.dirname(path.dirname(e.modelPath)))}/${path.basename(path.dirname(e.modelPath))}`
              : path.basename(e.modelPath),
        ),
      ),
    ];
  }

  /** Releases every session (Engine.close, tests). */
  async release(): Promise<void> {
    const all = [...this.sessions.values()].map((e) => e.pending);
    const pools = [...this.workerPools.values()].map((p) => p.pending);
    this.sessions.clear();
    this.workerPools.clear();
    this.last = null;
    this.workerOutcomes = { face: null, text: null };
    for (const result of await Promise.allSettled(pools)) {
      if (result.status === 'fulfilled') await result.value.release();
    }
    for (const result of await Promise.allSettled(all)) {
      if (result.status === 'fulfilled') await result.value.session.release();
    }
  }
}

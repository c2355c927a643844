import { type UtilityProcess, utilityProcess } from 'electron';
import log from 'electron-log/main';
import type { ChannelName } from '../../src/common/api';
import type { ApiEvents, EventName, WorkerStatus } from '../../src/common/api/events';
import { FacetError } from '../../src/common/errors';
import { type Result, fail } from '../../src/common/result';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

/** A worker that does not say "ready" within this time is treated as failed to start. */
const START_TIMEOUT_MS = 60_000;
/** A worker that has not exited this long after "shutdown" is killed. */
const STOP_TIMEOUT_MS = 5_000;
/** More crashes than this within CRASH_WINDOW_MS and the app stops restarting it by itself. */
export const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 60_000;

export interface WorkerHostOptions {
  entry: string;
  init: WorkerInit;
  emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => void;
  /** Called once the worker crashed MAX_CRASHES times within a minute (the app asks the user). */
  onGaveUp: (status: WorkerStatus) => void;
}

interface Starting {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: FacetError) => void;
}

const unavailable = (message: string) => fail(new FacetError('worker_unavailable', message));

/**
 * Owns the worker (the utility process that runs every model and writes derived data): starts it,
 * forwards calls and events, and restarts it after a crash with a growing delay, at most MAX_CRASHES
 * times a minute. It always answers: a call made while the worker is starting waits for "ready" (or
 * fails as soon as the worker exits), and a call made while it is down fails at once with a clear
 * error instead of hanging.
 */
export class WorkerHost {
  private child: UtilityProcess | undefined;
  private starting: Starting | undefined;
  private state: WorkerStatus['state'] = 'starting';
  private message: string | null = null;
  private crashes: number[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { channel: ChannelName; resolve: (result: Result<unknown>) => void }>();
  private stopped = false;

  constructor(private readonly options: WorkerHostOptions) {}

  get status(): WorkerStatus {
    return { state: this.state, crashes: this.recentCrashes(), message: this.message };
  }

  /** Starts the worker; resolves when it is ready, rejects if it exits or times out first. */
  start(): Promise<void> {
    if (this.starting) return this.starting.promise;
    let resolve!: () => void;
    let reject!: (error: FacetError) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => {}); // a start nobody waits for must not become an unhandled rejection
    const starting: Starting = { promise, resolve, reject };
    this.starting = starting;
    this.setState('starting', this.message);

    const child = utilityProcess.fork(this.options.entry, [], {
      serviceName: 'Facet worker',
      stdio: 'inherit',
      // The worker runs searches: a filter's vectors read from disk go many at a time through libuv's
      // pool, which must be sized before it starts (the reasons and measurements: bin/facet.cjs).
      env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '32' },
    });
    this.child = child;
    const timeout = setTimeout(() => {
      starting.reject(new FacetError('worker_unavailable', `The background worker did not start within ${START_TIMEOUT_MS / 1000} s.`));
      child.kill();
    }, START_TIMEOUT_MS);
    child.on('message', (message: FromWorker) => this.onMessage(message, starting));
    child.on('exit', (code) => {
      clearTimeout(timeout);
      this.onExit(child, code);
    });
    void promise.then(
      () => clearTimeout(timeout),
      () => clearTimeout(timeout),
    );
    this.send({ type: 'init', options: this.options.init });
    return promise;
  }

  /** Forwards one API call to the worker. Never hangs: every path ends in a result envelope. */
  async call(channel: ChannelName, input: unknown): Promise<Result<unknown>> {
    if (this.state === 'restarting' || this.state === 'crashed') return unavailable(this.downMessage());
    if (this.state === 'starting') {
      try {
        await (this.starting?.promise ?? this.start());
      } catch (error) {
        return unavailable((error as Error).message);
      }
    }
    if (!this.child) return unavailable(this.downMessage());
    return new Promise<Result<unknown>>((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { channel, resolve });
      this.send({ type: 'call', id, channel, input });
    });
  }

  /** The user's "Restart" after the app gave up: forget the crash count and start again. */
  restart(): Promise<void> {
    this.crashes = [];
    clearTimeout(this.restartTimer);
    if (this.child && this.state !== 'crashed') return this.starting?.promise ?? Promise.resolve();
    this.starting = undefined;
    return this.start();
  }

  /** Asks the worker to close the library and exit (so its next start knows it did not crash). */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => (child.kill(), resolve()), STOP_TIMEOUT_MS);
      child.once('exit', () => (clearTimeout(timer), resolve()));
      this.send({ type: 'shutdown' });
    });
  }

  private onMessage(message: FromWorker, starting: Starting): void {
    switch (message.type) {
      case 'ready':
        if (message.recovered.length > 0) log.warn(`Marked as failed (they crashed the worker): ${message.recovered.join(', ')}`);
        this.setState('ready', null);
        starting.resolve();
        return;
      case 'init-failed':
        log.error(`The worker could not open the library: ${message.error.message}`);
        starting.reject(new FacetError('worker_unavailable', `The background worker could not open the library: ${message.error.message}`));
        return;
      case 'result':
        this.pending.get(message.id)?.resolve(message.result);
        this.pending.delete(message.id);
        return;
      case 'event':
        this.options.emit(message.name, message.payload as never);
        return;
      case 'log':
        log[message.level](`Worker: ${message.message}`);
    }
  }

  private onExit(child: UtilityProcess, code: number): void {
    if (child !== this.child) return;
    this.child = undefined;
    const wasStarting = this.state === 'starting';
    const reason = `The background worker stopped unexpectedly (exit code ${code})`;
    this.starting?.reject(new FacetError('worker_unavailable', `${reason} while starting.`));
    this.starting = undefined;
    for (const { channel, resolve } of this.pending.values())
      resolve(unavailable(`${reason} during ${channel}. It restarts by itself; try again in a moment.`));
    this.pending.clear();
    if (this.stopped) return;

    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    log.error(`${reason}${wasStarting ? ' while starting' : ''}; ${this.crashes.length} crash(es) in the last minute.`);
    if (this.crashes.length >= MAX_CRASHES) {
      this.setState('crashed', `${reason}. It crashed ${this.crashes.length} times within a minute, so Facet stopped restarting it.`);
      this.options.onGaveUp(this.status);
      return;
    }
    const delay = 1000 * 2 ** (this.crashes.length - 1);
    this.setState('restarting', `${reason}. Restarting it in ${delay / 1000} s.`);
    this.restartTimer = setTimeout(() => {
      // Interrupted jobs resume by themselves in the new worker (the job queue is in the library).
      this.start().catch(() => {}); // its exit was counted as a crash already
    }, delay);
  }

  private recentCrashes(): number {
    const now = Date.now();
    return this.crashes.filter((t) => now - t < CRASH_WINDOW_MS).length;
  }

  private downMessage(): string {
    return this.message ?? 'The background worker is not running.';
  }

  private setState(state: WorkerStatus['state'], message: string | null): void {
    this.state = state;
    this.message = message;
    this.options.emit('worker.status', this.status);
  }

  /** A new model mirror from Settings: the running worker switches now, a restarted one opens with it. */
  setModelMirror(modelMirror: string): void {
    this.options.init.modelMirror = modelMirror;
    this.send({ type: 'model-mirror', modelMirror });
  }

  private send(message: ToWorker): void {
    this.child?.postMessage(message);
  }
}

import { type UtilityProcess, utilityProcess } from 'electron';
import log from 'electron-log/main';
import type { ChannelName } from '../../src/common/api';
import type { ApiEvents, EventName } from '../../src/common/api/events';
import { FacetError } from '../../src/common/errors';
import { type Result, fail } from '../../src/common/result';
import type { AppEngineOptions } from './engine-handle';
import type { FromIndexer, ToIndexer } from './indexer-protocol';

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Owns the indexing utility process: starts it, forwards calls and progress events, and restarts it
 * with a growing delay if it crashes (a corrupt file can take down a native decoder). Calls in flight
 * when it dies get an error envelope instead of hanging.
 */
export class IndexerHost {
  private child: UtilityProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private restartDelay = 1000;
  private stopped = false;

  constructor(
    private readonly entry: string,
    private readonly options: Omit<AppEngineOptions, 'emit'>,
    private readonly emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => void,
  ) {}

  call(channel: ChannelName, input: unknown): Promise<Result<unknown>> {
    return this.start().then(
      () =>
        new Promise<Result<unknown>>((resolve) => {
          const id = this.nextId++;
          this.pending.set(id, resolve);
          this.send({ type: 'call', id, channel, input });
        }),
    );
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    this.ready = new Promise<void>((resolve) => {
      const child = utilityProcess.fork(this.entry, [], { serviceName: 'Facet indexer', stdio: 'inherit' });
      this.child = child;
      child.on('message', (message: FromIndexer) => {
        if (message.type === 'ready') {
          this.restartDelay = 1000;
          resolve();
        } else if (message.type === 'result') {
          this.pending.get(message.id)?.(message.result);
          this.pending.delete(message.id);
        } else {
          this.emit(message.name, message.payload as never);
        }
      });
      child.on('exit', (code) => this.onExit(code));
      this.send({ type: 'init', options: this.options });
    });
    return this.ready;
  }

  private onExit(code: number): void {
    this.child = undefined;
    this.ready = undefined;
    for (const resolve of this.pending.values()) resolve(fail(new FacetError('internal', `The indexer stopped unexpectedly (exit code ${code}). It restarts by itself; try again.`)));
    this.pending.clear();
    if (this.stopped) return;
    log.error(`Indexer exited with code ${code}; restarting in ${this.restartDelay} ms`);
    setTimeout(() => {
      if (!this.stopped) void this.start().then(() => this.call('index.start', {}));
    }, this.restartDelay);
    this.restartDelay = Math.min(this.restartDelay * 2, MAX_RESTART_DELAY_MS);
  }

  private send(message: ToIndexer): void {
    this.child?.postMessage(message);
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill();
  }
}

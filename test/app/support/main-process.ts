import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ChannelName, InputOf, OutputOf } from '../../../src/common/api';
import type { EventName } from '../../../src/common/api/events';
import type { Result } from '../../../src/common/result';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const MAIN_BUNDLE = path.join(ROOT, 'out', 'main', 'index.js');
const REGISTER = path.join(__dirname, 'electron-stand-in', 'register.cjs');

/**
 * Builds out/ with electron-vite (main, worker, preload, renderer), as `npm run build` does: once per
 * test run, however many test files ask (they run in parallel, and one must not empty out/ while
 * another runs the app from it). The stamp names the vitest process that the test files share.
 */
export async function buildApp(): Promise<void> {
  const cache = path.join(ROOT, '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const lock = path.join(cache, 'app-build.lock');
  const stamp = path.join(cache, 'app-build.stamp');
  const run = String(process.ppid);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run (a build takes well under a minute) is taken over.
      if (Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000)
        fs.rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === run && fs.existsSync(MAIN_BUNDLE)) return;
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    fs.writeFileSync(stamp, run);
  } finally {
    fs.rmdirSync(lock);
  }
}

export interface Recorded {
  kind: string;
  pid: number;
  [key: string]: unknown;
}

export interface LaunchOptions {
  /** The app's home: HOME and XDG_CONFIG_HOME point here, so userData is <home>/.config/Facet. */
  home: string;
  env?: Record<string, string>;
  /** Answers to the native dialogs, in order (a message box's button index, or a folder path). */
  dialogs?: (number | string | null)[];
  locale?: string;
  /** Extra node flags for the worker (e.g. a --require that makes it die before "ready"). */
  workerExecArgv?: string[];
}

/**
 * The built main process (out/main/index.js) running under plain Node with the recording stand-in
 * for `electron`. Calls go through the real preload (out/preload/index.js) and the real IPC handlers;
 * the worker is a real child process.
 */
export class MainProcess {
  readonly events: { name: EventName; payload: unknown }[] = [];
  readonly exited: Promise<number>;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly recordFile: string,
  ) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    child.on('message', (message: { type: string; id?: number; name?: EventName; payload?: unknown; result?: unknown; error?: string }) => {
      if (message.type === 'event') this.events.push({ name: message.name!, payload: message.payload });
      if (message.type !== 'reply') return;
      const waiter = this.waiting.get(message.id!);
      this.waiting.delete(message.id!);
      if (message.error) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
    void this.exited.then(() => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error('the main process exited'));
    });
  }

  static launch(options: LaunchOptions): MainProcess {
    const recordFile = path.join(options.home, `record-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`);
    fs.writeFileSync(recordFile, '');
    const child = fork(MAIN_BUNDLE, [], {
      execArgv: ['--require', REGISTER],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        HOME: options.home,
        XDG_CONFIG_HOME: path.join(options.home, '.config'),
        APPDATA: path.join(options.home, 'AppData', 'Roaming'),
        FACET_STANDIN_RECORD: recordFile,
        FACET_STANDIN_DIALOGS: JSON.stringify(options.dialogs ?? []),
        FACET_STANDIN_LOCALE: options.locale ?? 'en-US',
        FACET_STANDIN_WORKER_EXEC_ARGV: JSON.stringify(options.workerExecArgv ?? []),
        FACET_LIBRARY: '',
        ...options.env,
      },
    });
    child.stdout?.on('data', () => {});
    child.stderr?.on('data', (chunk: Buffer) => process.env.FACET_SMOKE_VERBOSE && process.stderr.write(chunk));
    return new MainProcess(child, recordFile);
  }

  records(kind?: string): Recorded[] {
    if (!fs.existsSync(this.recordFile)) return [];
    const all = fs
      .readFileSync(this.recordFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Recorded);
    return kind ? all.filter((r) => r.kind === kind) : all;
  }

  async waitForRecord(kind: string, predicate: (r: Recorded) => boolean = () => true, timeoutMs = 60_000): Promise<Recorded> {
    const started = Date.now();
    for (;;) {
      const found = this.records(kind).find(predicate);
      if (found) return found;
      if (Date.now() - started > timeoutMs)
        throw new Error(
          `no ${kind} record within ${timeoutMs} ms; recorded: ${this.records()
            .map((r) => r.kind)
            .join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private request<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, ...message });
    });
  }

  /** `window.facet.call` in the renderer: through the preload, the IPC sender check and dispatch. */
  call<N extends ChannelName>(channel: N, input: InputOf<N> | Record<string, unknown>): Promise<Result<OutputOf<N>>> {
    return this.request({ op: 'call', channel, input });
  }

  subscribe(events: EventName[]): Promise<void> {
    return this.request({ op: 'subscribe', events });
  }

  fetch(url: string): Promise<{ status: number; bytes: number; type: string | null }> {
    return this.request({ op: 'fetch', scheme: new URL(url).protocol.replace(':', ''), url });
  }

  /** The user quits (app.quit → before-quit → the worker closes the library → exit). */
  async quit(): Promise<number> {
    await this.request({ op: 'quit' });
    return this.exited;
  }

  kill(): void {
    this.child.kill('SIGKILL');
    for (const fork of this.records('utilityProcess.fork')) {
      try {
        process.kill(fork.childPid as number, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

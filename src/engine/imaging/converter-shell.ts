import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Runs one converter command (heif-convert) many times from a small long-lived POSIX shell, instead of
 * starting each run from this process.
 *
 * WHY: Node starts a child with fork + exec. fork copies the page tables of the whole indexing process
 * (several hundred MB with the models loaded) and write-protects every page, so each later write faults.
 * Measured here: 15.5 ms of this process's CPU and 36 ms of wall time per start at 577 MB of RSS, against
 * 0.9 ms at 50 MB. A shell of a few MB forks cheaply, so a HEIC costs its decode and little else.
 *
 * One shell runs one conversion at a time; the caller bounds how many run at once. The command's stderr
 * goes to a file beside the output, so a failure still says why.
 */
/** The shell's own bound runs this much after this process's, so this process's timeout is the one reported. */
const SHELL_TIMEOUT_MARGIN_MS = 2_000;
/** An idle shell ends after this long unless told otherwise, so a finished run leaves no process behind. */
const DEFAULT_IDLE_MS = 20_000;

export class ConverterShell {
  private idle: Shell[] = [];
  private started = 0;

  constructor(
    /** The converter's absolute path. */
    private readonly tool: string,
    /** Arguments before the input and output paths. */
    private readonly args: readonly string[],
    private readonly timeoutMs: number,
    private readonly options: {
      /** How long an idle shell waits for the next conversion before it ends (DEFAULT_IDLE_MS). */
      idleMs?: number;
      /** The shell's (and so the tool's) environment; this process's when absent. */
      env?: NodeJS.ProcessEnv;
    } = {},
  ) {}

  /** Whether this path can go through the shell's line protocol (one path per line). */
  static accepts(file: string): boolean {
    return !/[\n\r]/.test(file);
  }

  /**
   * `tool ...args input output`. Resolves when the tool exits 0; rejects with its stderr when it fails,
   * and with a spawn-style ENOENT/EACCES error (code, syscall) when the tool cannot be started.
   */
  async run(input: string, output: string): Promise<void> {
    if (!ConverterShell.accepts(input) || !ConverterShell.accepts(output)) throw new Error('a path with a line break');
    let shell = this.idle.pop();
    while (shell && !shell.alive) shell = this.idle.pop();
    shell ??= this.start();
    shell.stopIdleTimer();
    let status: number;
    try {
      status = await shell.convert(input, output, this.timeoutMs);
    } catch (error) {
      shell.kill(); // timed out, or the shell died: never reuse it
      throw error;
    }
    this.idle.push(shell);
    shell.startIdleTimer(this.options.idleMs ?? DEFAULT_IDLE_MS, () => {
      this.idle = this.idle.filter((s) => s !== shell);
      shell.kill();
    });
    if (status === 0) return;
    // POSIX shells exit 127 for a command not found and 126 for one found but not executable.
    if (status === 127 || status === 126) {
      const code = status === 127 ? 'ENOENT' : 'EACCES';
      throw Object.assign(new Error(`spawn ${this.tool} ${code}`), { code, syscall: `spawn ${this.tool}`, path: this.tool });
    }
    const stderr = await fs.promises.readFile(`${output}.err`, 'utf8').catch(() => '');
    throw Object.assign(new Error(`${path.basename(this.tool)} exited with status ${status}`), { code: status, stderr });
  }

  /** Shells started so far (tests check that several conversions reuse one). */
  get shellsStarted(): number {
    return this.started;
  }

  private start(): Shell {
    this.started++;
    // Paths arrive one per line on stdin; the tool's exit status goes back one per line on stdout. The
    // tool's own stdout goes with its stderr to the .err file: a status line it printed (a converter
    // without --quiet, or a warning) would otherwise be read as an exit status and shift every later one.
    // The shell bounds each run too (timeout(1), where the system has one that stays in this process
    // group), a little after this process would: if this process is gone (the app quit, the worker was
    // killed), a hung tool is still ended rather than left running for ever.
    const script = [
      'tool=$1; limit=$2; shift 2',
      'if timeout --foreground -s KILL 5 true >/dev/null 2>&1; then bounded() { timeout --foreground -s KILL "$limit" "$@"; }; else bounded() { "$@"; }; fi',
      'while IFS= read -r in && IFS= read -r out; do bounded "$tool" "$@" "$in" "$out" >"$out.err" 2>&1; echo $?; done',
    ].join('\n');
    const limitSeconds = String(Math.ceil((this.timeoutMs + SHELL_TIMEOUT_MARGIN_MS) / 1000));
    const child = spawn('/bin/sh', ['-c', script, 'facet-converter', this.tool, limitSeconds, ...this.args], {
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true, // its own process group, so a timeout ends the tool too
      ...(this.options.env ? { env: this.options.env } : {}),
    }) as unknown as ChildProcessWithoutNullStreams;
    return new Shell(child);
  }
}

class Shell {
  private buffered = '';
  private waiting: { resolve: (status: number) => void; reject: (error: Error) => void } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private dead: Error | null = null;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      const newline = this.buffered.indexOf('\n');
      if (newline < 0) return;
      const status = Number(this.buffered.slice(0, newline));
      this.buffered = this.buffered.slice(newline + 1);
      this.settle(null, status);
    });
    const died = (error: Error) => {
      this.dead = error;
      this.settle(error);
    };
    child.on('error', died);
    child.on('exit', (code, signal) => died(new Error(`the converter shell ended (${signal ?? `status ${code}`})`)));
    child.stdin.on('error', () => undefined); // a write after the shell died: reported by 'exit'
    this.detach();
  }

  get alive(): boolean {
    return this.dead === null;
  }

  convert(input: string, output: string, timeoutMs: number): Promise<number> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(new Error(`the converter took over ${timeoutMs / 1000} s`)), timeoutMs);
      this.waiting = {
        resolve: (status) => {
          clearTimeout(timer);
          resolve(status);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.attach();
      this.child.stdin.write(`${input}\n${output}\n`);
    });
  }

  startIdleTimer(ms: number, onIdle: () => void): void {
    this.idleTimer = setTimeout(onIdle, ms);
    this.idleTimer.unref();
  }

  stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  kill(): void {
    this.stopIdleTimer();
    // Once it has ended (even by a signal, when exitCode stays null) its pid may belong to another process.
    if (this.dead || this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL'); // the shell and the tool it is running
    } catch {
      // already gone
    }
  }

  private settle(error: Error | null, status = -1): void {
    const waiting = this.waiting;
    this.waiting = null;
    this.detach();
    if (!waiting) return;
    if (error) waiting.reject(error);
    else waiting.resolve(status);
  }

  /** While a conversion runs, the shell keeps the process alive; while idle, it does not. */
  private attach(): void {
    this.child.ref();
    handle(this.child.stdout).ref?.();
  }

  private detach(): void {
    this.child.unref();
    handle(this.child.stdout).unref?.();
    handle(this.child.stdin).unref?.();
  }
}

/** A child's stdio streams are pipes (net.Socket), which can stop holding the event loop open. */
function handle(stream: unknown): { ref?: () => void; unref?: () => void } {
  return stream as { ref?: () => void; unref?: () => void };
}

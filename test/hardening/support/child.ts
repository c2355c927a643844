import { type ChildProcess, spawn } from 'node:child_process';
import { FACET_BIN } from '../../support/cli';

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `facet ...` in a child we can SIGKILL, or start under a wrapper (strace, unshare, setpriv). */
export function startFacet(
  args: string[],
  options: { wrapper?: string[]; env?: NodeJS.ProcessEnv } = {},
): { child: ChildProcess; done: Promise<ChildRun> } {
  const started = Date.now();
  const [command, ...prefix] = options.wrapper?.length ? options.wrapper : [process.execPath];
  const argv = options.wrapper?.length ? [...prefix, process.execPath, FACET_BIN, ...args] : [FACET_BIN, ...args];
  const child = spawn(command!, argv, { env: { ...process.env, FACET_LIBRARY: '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<ChildRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
  return { child, done };
}

/** Runs `facet ...` and SIGKILLs it after `delayMs` unless it ended first. */
export async function runAndKill(args: string[], delayMs: number): Promise<ChildRun> {
  const { child, done } = startFacet(args);
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  const run = await done;
  clearTimeout(timer);
  return run;
}

export function runFacetChild(
  args: string[],
  options: { wrapper?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ChildRun> {
  const { child, done } = startFacet(args, options);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
  return done.finally(() => clearTimeout(timer));
}

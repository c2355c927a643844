import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { JobInfo } from '../../../src/common/api/jobs';
import { FACET_BIN, parseJson, runFacet } from '../../support/cli';
import { sharedPhotos } from '../../support/shared';

/** Copies the first `count` Flickr8k photos (small JPEGs) into a new folder. */
export function captionPhotos(dir: string, count: number): string {
  const source = sharedPhotos('captions', 'images');
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs
    .readdirSync(source)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, count))
    fs.copyFileSync(path.join(source, file), path.join(dir, file));
  return dir;
}

/** Reads the library's database from outside the process that writes it (as a second app would). */
export function query<T>(library: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(library, 'facet.db'), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export async function facetOk(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const run = await runFacet(args, { env });
  expect(run.code, `facet ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

export async function jobsOf(library: string): Promise<JobInfo[]> {
  return parseJson<JobInfo[]>(await runFacet(['jobs', '--json', '--library', library]));
}

/**
 * Starts `facet …` and SIGKILLs it the moment `ready()` (polled on the library) is true. Returns
 * whether the kill landed before the command finished on its own.
 */
export async function killWhen(args: string[], library: string, ready: () => boolean): Promise<{ killed: boolean; stderr: string }> {
  const child: ChildProcess = spawn(process.execPath, [FACET_BIN, ...args], {
    env: { ...process.env, FACET_LIBRARY: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    let go = false;
    try {
      go = fs.existsSync(path.join(library, 'facet.db')) && ready();
    } catch {
      go = false; // the schema is still being created
    }
    if (go) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const code = await exited;
  return { killed: code === null, stderr };
}

/** The job's photo log: how many photos it finished, and how many distinct (equal: none done twice). */
export function jobPhotoCounts(library: string, jobId: number): { rows: number; distinct: number } {
  return query<{ rows: number; distinct: number }>(
    library,
    'SELECT count(*) AS rows, count(DISTINCT photo_id) AS "distinct" FROM job_photos WHERE job_id = ?',
    jobId,
  )[0]!;
}

/** Polls until `condition` holds (a job another engine runs in the background). */
export async function waitFor(condition: () => boolean, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

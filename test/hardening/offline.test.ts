import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { SHARED_MODELS, describeWithShared } from '../support/shared';
import { tempDir } from '../support/temp';
import { type ChildRun, runFacetChild } from './support/child';
import { copyAlbumPhotos } from './support/photos';
import { hasCommand } from './support/system';

const HAS_STRACE = hasCommand('strace', ['-V']);
const HAS_UNSHARE = process.getuid?.() === 0 && hasCommand('unshare', ['-n', 'true']);
const SKIP = HAS_STRACE && HAS_UNSHARE ? '' : ' [skipped: needs strace and root unshare -n (.ci/run installs strace)]';

/** socket() and connect() calls of the child and every thread/process it starts, by address family. */
function internetSockets(traceFile: string): string[] {
  const trace = fs.readFileSync(traceFile, 'utf8');
  return trace.split('\n').filter((line) => /\b(socket|connect)\((AF|PF)_INET6?\b|sin6?_family=AF_INET6?/.test(line));
}

describeWithShared('offline guarantee: no network needed, no internet socket opened', () => {
  const work = tempDir('facet-offline-');
  const photos = path.join(work, 'photos');
  const library = path.join(work, 'library');
  const lib = ['--library', library];
  let traceCount = 0;

  /** Runs `facet ...` in a network namespace with no interfaces, traced by strace. */
  async function offline(args: string[]): Promise<ChildRun & { inet: string[] }> {
    const traceFile = path.join(work, `trace-${traceCount++}.txt`);
    const run = await runFacetChild(args, {
      wrapper: ['unshare', '-n', 'strace', '-f', '-qq', '-e', 'trace=socket,connect', '-o', traceFile],
    });
    return { ...run, inet: internetSockets(traceFile) };
  }

  beforeAll(() => {
    copyAlbumPhotos(['1.jpg', '2.jpg', '3.jpg', '4.jpg', '6.jpg', 'overlap_1.jpg'], photos);
  });

  it.skipIf(!HAS_STRACE || !HAS_UNSHARE)(`the tracer sees an internet socket when one is opened (the check can fail)${SKIP}`, async () => {
    const traceFile = path.join(work, 'control.txt');
    const { spawnSync } = await import('node:child_process');
    spawnSync('strace', [
      '-f',
      '-qq',
      '-e',
      'trace=socket,connect',
      '-o',
      traceFile,
      process.execPath,
      '-e',
      "require('net').connect(9, '127.0.0.1').on('error', () => {})",
    ]);
    expect(internetSockets(traceFile).length).toBeGreaterThan(0);
  });

  it.skipIf(!HAS_STRACE || !HAS_UNSHARE)(
    `index, people edits, listings and status work with no network and open no socket${SKIP}`,
    async () => {
      const indexRun = await offline(['index', photos, ...lib, '--models', SHARED_MODELS, '--device', 'cpu']);
      expect(indexRun.code, indexRun.stderr).toBe(0);
      expect(indexRun.stdout).toMatch(/^indexed 6, unchanged 0, failed 0/);
      expect(indexRun.inet).toEqual([]);

      const faces = await offline(['faces', '--json', ...lib]);
      expect(faces.code, faces.stderr).toBe(0);
      const ids = (JSON.parse(faces.stdout) as { id: number }[]).map((f) => f.id);
      expect(ids.length).toBeGreaterThanOrEqual(5);
      const steps: string[][] = [
        ['recluster', ...lib, '--models', SHARED_MODELS],
        ['name', String(ids[0]), 'Alice', ...lib],
        ['name', String(ids[1]), 'Bob', ...lib],
        ['reject', String(ids[1]), ...lib],
        ['people', '--json', ...lib],
        ['files', '--json', ...lib],
        ['status', '--json', ...lib, '--models', SHARED_MODELS],
        ['undo', ...lib],
      ];
      for (const args of steps) {
        const run = await offline(args);
        expect(run.code, `facet ${args.join(' ')}: ${run.stderr}`).toBe(0);
        expect(run.inet, `facet ${args[0]}`).toEqual([]);
      }
      for (const args of await searchStep(lib)) {
        // No CLIP weights are installed here: "model missing" is the one acceptable failure, never a download.
        const run = await offline(args);
        if (run.code !== 0) expect(run.stderr).toMatch(/model/i);
        expect(run.inet, 'facet search').toEqual([]);
      }
    },
  );
});

/** `facet search` once the search commands are part of the CLI (a probe, not a guess at its options). */
async function searchStep(lib: string[]): Promise<string[][]> {
  const help = await runFacetChild(['search', '--help']);
  return help.code === 0 && /search/i.test(help.stdout) && !/^Usage: facet \[options\] \[command\]/m.test(help.stdout)
    ? [['search', 'a person', ...lib]]
    : [];
}

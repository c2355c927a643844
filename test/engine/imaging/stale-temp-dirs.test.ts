import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { decodeHeic, heicDecoderInUse } from '../../../src/engine/imaging/heic-decoder';
import { removeStaleTempDirs } from '../../../src/engine/imaging/stale-temp-dirs';
import { FIXTURES_DIR } from '../../support/paths';
import { tempDir } from '../../support/temp';

/** The pid of a real process that has exited (what a conversion killed mid-way leaves in its folder's name). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function folder(dir: string, name: string, ageMs = 0): string {
  const full = path.join(dir, name);
  fs.mkdirSync(full);
  fs.writeFileSync(path.join(full, 'out.jpg'), 'partial');
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(full, when, when);
  return full;
}

it('removes the folders of dead owners and old ones, and keeps those of live processes and recent ones', async () => {
  const dir = tempDir('facet-stale-');
  const dead = folder(dir, `facet-heic-${deadPid()}-abc123`);
  const old = folder(dir, 'facet-heic-XyZ123', 2 * 60 * 60 * 1000); // an older Facet's name, without a pid
  const mine = folder(dir, `facet-heic-${process.pid}-def456`);
  const recent = folder(dir, 'facet-heic-Qw3456', 60 * 1000);
  const parentAlive = folder(dir, `facet-heic-${process.ppid}-ghi789`);
  const other = folder(dir, `something-else-${deadPid()}-x`, 2 * 60 * 60 * 1000);

  const removed = await removeStaleTempDirs(dir, 'facet-heic-');

  expect(removed.sort()).toEqual([dead, old].sort());
  for (const kept of [mine, recent, parentAlive, other]) expect(fs.existsSync(kept)).toBe(true);
});

it.runIf(process.platform === 'linux' && heicDecoderInUse().decoder === 'libheif')(
  'the HEIC decoder sweeps a killed conversion’s folder from the system temp folder before its first conversion',
  async () => {
    const left = folder(os.tmpdir(), `facet-heic-${deadPid()}-killed`);
    const decoded = await decodeHeic(fs.readFileSync(path.join(FIXTURES_DIR, 'heic', 'quadrants-hevc.heic')));
    expect(decoded.kind).toBe('encoded');
    expect(fs.existsSync(left)).toBe(false);
  },
);

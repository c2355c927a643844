import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temp folder name that carries its owner's pid, so a later process can tell it was left behind. */
export function ownedTempPrefix(dir: string, prefix: string): string {
  return path.join(dir, `${prefix}${process.pid}-`);
}

/**
 * Removes the `prefix*` folders in `dir` that a killed process left behind: those whose owner process
 * (the pid in the name, see ownedTempPrefix) is gone, and any older than `maxAgeMs` (folders of an
 * older Facet without a pid, or a pid since reused). No conversion lives that long (the converter's own
 * limit is a minute), so the age rule never removes a folder in use. Best effort: errors are ignored.
 */
export async function removeStaleTempDirs(dir: string, prefix: string, maxAgeMs = 60 * 60 * 1000): Promise<string[]> {
  const removed: string[] = [];
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const full = path.join(dir, name);
    const stat = await fs.promises.lstat(full).catch(() => null);
    if (!stat?.isDirectory() || stat.uid !== os.userInfo().uid) continue; // never another user's folder
    const pid = /^(\d+)-/.exec(name.slice(prefix.length))?.[1];
    const ownerGone = pid !== undefined && Number(pid) !== process.pid && !processAlive(Number(pid));
    if (!ownerGone && Date.now() - stat.mtimeMs < maxAgeMs) continue;
    await fs.promises.rm(full, { recursive: true, force: true }).then(
      () => removed.push(full),
      () => undefined,
    );
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only checks that the process exists
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // exists, owned by someone else
  }
}

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** True when `command` runs here (strace, unshare, setpriv are installed by .ci/run, never by a test). */
export function hasCommand(command: string, probe: string[] = ['--version']): boolean {
  return spawnSync(command, probe, { stdio: 'ignore' }).status === 0;
}

/** Mounting a tmpfs needs root (or CAP_SYS_ADMIN); containers without it skip these tests. */
export function canMountTmpfs(probeDir: string): boolean {
  if (process.getuid?.() !== 0) return false;
  fs.mkdirSync(probeDir, { recursive: true });
  try {
    mountTmpfs(probeDir, '64k');
    unmount(probeDir);
    return true;
  } catch {
    return false;
  }
}

export function mountTmpfs(dir: string, size: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir]);
}

/** Remount with new options: `ro`, `rw`, `size=64m`. */
export function remount(dir: string, options: string): void {
  execFileSync('mount', ['-o', `remount,${options}`, dir]);
}

export function unmount(dir: string): void {
  spawnSync('umount', [dir], { stdio: 'ignore' });
}

/** Run as `nobody`: root ignores file permissions, so unreadable files need another user. */
export const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

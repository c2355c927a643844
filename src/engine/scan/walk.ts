import fs from 'node:fs/promises';
import path from 'node:path';
import { classifyExtension } from './formats';

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
  kind: 'image' | 'unsupported';
  format: string;
}

export interface WalkProblem {
  path: string;
  reason: string;
}

export interface WalkResult {
  files: FoundFile[];
  problems: WalkProblem[];
}

/** Folders no user means to import: OS/trash/thumbnail caches and app bundles' innards. */
const SYSTEM_FOLDERS = new Set([
  '$recycle.bin',
  'system volume information',
  'lost+found',
  '@eadir',
  '#recycle',
  '.trash',
  '.trashes',
  '.thumbnails',
  '.cache',
  'node_modules',
  '__macosx',
  '.photoslibrary',
  '.spotlight-v100',
  '.fseventsd',
]);

export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SYSTEM_FOLDERS.has(name.toLowerCase()) || name.toLowerCase().endsWith('.photoslibrary');
}

/**
 * Recursive walk that follows symlinked folders once (their real path is remembered, so a loop ends),
 * skips hidden and system folders, and never throws for one unreadable entry: it records the problem
 * and goes on (a folder that vanishes mid-scan is one such problem).
 */
export async function walkFolder(root: string): Promise<WalkResult> {
  const files: FoundFile[] = [];
  const problems: WalkProblem[] = [];
  const visited = new Set<string>();

  async function visit(dir: string): Promise<void> {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch (error) {
      problems.push({ path: dir, reason: describeFsError(error) });
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: dir, reason: describeFsError(error) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.name.includes('\uFFFD')) {
        // Node decodes names as UTF-8; a name that is not valid UTF-8 cannot be opened by that string.
        problems.push({ path: full, reason: 'the name is not valid UTF-8 (rename the file or folder to index it)' });
        continue;
      }
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await fs.stat(full).catch(() => null);
        if (!target) {
          problems.push({ path: full, reason: 'broken symbolic link' });
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDir) {
        if (!isSkippedFolder(entry.name)) await visit(full);
        continue;
      }
      if (!isFile || entry.name.startsWith('.')) continue;
      const kind = classifyExtension(entry.name);
      if (kind.kind === 'ignored') continue;
      try {
        const stat = await fs.stat(full);
        files.push({ path: full, size: stat.size, mtimeMs: Math.floor(stat.mtimeMs), kind: kind.kind, format: kind.format });
      } catch (error) {
        problems.push({ path: full, reason: describeFsError(error) });
      }
    }
  }

  await visit(path.resolve(root));
  return { files, problems };
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no longer exists (removed or renamed while scanning)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (not readable by Facet)';
    case 'ENAMETOOLONG':
      return 'file name too long for this system';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EIO':
      return 'input/output error (damaged disk or disconnected drive)';
    default:
      return (error as Error)?.message ?? String(error);
  }
}

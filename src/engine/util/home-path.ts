import os from 'node:os';

/**
 * A folder as a person names it: `~/Pictures/Family` for a folder inside their home, the full path
 * otherwise. Only the display changes; every call still takes and stores the full path.
 */
export function homeRelativePath(folder: string, home: string = os.homedir()): string {
  if (!home || home === '/' || home === '\\') return folder;
  const trimmed = home.replace(/[\\/]+$/, '');
  if (folder === trimmed) return '~';
  const rest = folder.slice(trimmed.length);
  return folder.startsWith(trimmed) && (rest[0] === '/' || rest[0] === '\\') ? `~${rest}` : folder;
}

import fs from 'node:fs';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import type { WatcherProblem } from '../../src/common/api/events';

const PHOTO_FILE = /\.(jpe?g|png|webp|gif|avif|heic|heif|tiff?|bmp)$/i;
const SETTLE_MS = 2000;
const PRESENCE_CHECK_MS = 30_000;

export interface WatchedFolder {
  id: number;
  path: string;
}

export interface FolderWatcherEvents {
  /** The folders whose photos changed (or whose drive came or went), after changes settle. */
  rescan: (folderIds: number[]) => void;
  /** A folder or file that cannot be watched; the rest keeps being watched. */
  problem: (problem: WatcherProblem) => void;
}

/** True when `file` is `folder` or lies under it, compared as paths: `/photos2` is not in `/photos`. */
export function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** The folder a file belongs to: the deepest watched folder holding it (folders may nest). */
export function owningFolder(folders: readonly WatchedFolder[], file: string): WatchedFolder | undefined {
  return folders.filter((f) => isInside(f.path, file)).sort((a, b) => b.path.length - a.path.length)[0];
}

/** What a watch error means for the user, in words (the renderer translates by `code`). */
export function describeWatchError(error: unknown, folders: readonly WatchedFolder[]): WatcherProblem {
  const { code = 'UNKNOWN', path: where } = error as NodeJS.ErrnoException;
  const folder = where ? (owningFolder(folders, where)?.path ?? null) : null;
  const place = where ?? folder ?? 'a watched folder';
  const message =
    code === 'ENOSPC'
      ? `The system's limit of watched folders (inotify watches) is reached, so new photos are not noticed until the next index. Raise fs.inotify.max_user_watches (e.g. sudo sysctl fs.inotify.max_user_watches=524288).`
      : code === 'EMFILE'
        ? `Too many files are open to watch ${place}; new photos there are picked up at the next index.`
        : code === 'EACCES' || code === 'EPERM'
          ? `Facet has no permission to read ${place}, so photos there are not watched.`
          : code === 'ELOOP'
            ? `A symbolic link loop at ${place}: that link is not followed.`
            : `${place} cannot be watched: ${(error as Error)?.message ?? String(error)}`;
  return { folder, code, message };
}

/**
 * Watches the library's folders while the app runs and asks for a rescan of the folders that changed,
 * after changes settle (a camera import writes hundreds of files). A folder whose drive is unplugged
 * is reported too: the rescan marks it offline, it is never deleted, and it comes back when the
 * drive does. Watch errors (no permission, link loops, the OS watch limit) are reported once each,
 * never thrown: an unhandled 'error' event would take down the main process.
 */
export class FolderWatcher {
  private watcher: FSWatcher | undefined;
  private folders: WatchedFolder[] = [];
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly presence = new Map<number, boolean>();
  private readonly presenceTimer: NodeJS.Timeout;
  private readonly reported = new Set<string>();

  constructor(
    private readonly events: FolderWatcherEvents,
    private readonly timing = { settleMs: SETTLE_MS, presenceCheckMs: PRESENCE_CHECK_MS },
  ) {
    this.presenceTimer = setInterval(() => this.checkPresence(), timing.presenceCheckMs);
  }

  async setFolders(folders: WatchedFolder[]): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
    this.folders = folders;
    for (const folder of folders) this.presence.set(folder.id, fs.existsSync(folder.path));
    if (folders.length === 0) return;
    const watcher = watch(
      folders.map((f) => f.path),
      {
        ignoreInitial: true,
        awaitWriteFinish: { stabilityThreshold: Math.min(1000, this.timing.settleMs) },
        ignored: (file, stats) => Boolean(stats?.isFile() && !PHOTO_FILE.test(file)),
      },
    );
    this.watcher = watcher;
    watcher.on('all', (_event, file) => this.markDirty(file));
    watcher.on('error', (error) => this.report(error));
  }

  /** Folders whose rescan could not run now (indexing was busy): asked for again after the next settle. */
  requeue(folderIds: number[]): void {
    for (const id of folderIds) this.dirty.add(id);
    this.schedule();
  }

  private report(error: unknown): void {
    const problem = describeWatchError(error, this.folders);
    const key = `${problem.code}\0${(error as NodeJS.ErrnoException).path ?? ''}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.events.problem(problem);
  }

  private markDirty(file: string): void {
    const folder = owningFolder(this.folders, file);
    if (!folder) return;
    this.dirty.add(folder.id);
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.timing.settleMs);
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    this.events.rescan(ids);
  }

  private checkPresence(): void {
    for (const folder of this.folders) {
      const present = fs.existsSync(folder.path);
      if (present !== this.presence.get(folder.id)) {
        this.presence.set(folder.id, present);
        this.dirty.add(folder.id);
      }
    }
    this.flush();
  }

  async close(): Promise<void> {
    clearInterval(this.presenceTimer);
    clearTimeout(this.timer);
    await this.watcher?.close();
  }
}

import fs from 'node:fs';
import { type FSWatcher, watch } from 'chokidar';

const PHOTO_FILE = /\.(jpe?g|png|webp|gif|avif|heic|heif|tiff?|bmp)$/i;
const SETTLE_MS = 2000;
const PRESENCE_CHECK_MS = 30_000;

export interface WatchedFolder {
  id: number;
  path: string;
}

/**
 * Watches the library's folders while the app runs and asks for a rescan of the folders that changed,
 * after changes settle (a camera import writes hundreds of files). A folder whose drive is unplugged
 * is reported too: the rescan marks it offline, it is never deleted, and it comes back when the
 * drive does.
 */
export class FolderWatcher {
  private watcher: FSWatcher | undefined;
  private folders: WatchedFolder[] = [];
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly presence = new Map<number, boolean>();
  private readonly presenceTimer: NodeJS.Timeout;

  constructor(
    private readonly rescan: (folderIds: number[]) => void,
    private readonly timing = { settleMs: SETTLE_MS, presenceCheckMs: PRESENCE_CHECK_MS },
  ) {
    this.presenceTimer = setInterval(() => this.checkPresence(), timing.presenceCheckMs);
  }

  async setFolders(folders: WatchedFolder[]): Promise<void> {
    await this.watcher?.close();
    this.folders = folders;
    for (const folder of folders) this.presence.set(folder.id, fs.existsSync(folder.path));
    if (folders.length === 0) return;
    this.watcher = watch(
      folders.map((f) => f.path),
      { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: Math.min(1000, this.timing.settleMs) }, ignored: (file, stats) => Boolean(stats?.isFile() && !PHOTO_FILE.test(file)) },
    );
    this.watcher.on('all', (_event, file) => this.markDirty(file));
  }

  private markDirty(file: string): void {
    const folder = this.folders.find((f) => file.startsWith(f.path));
    if (!folder) return;
    this.dirty.add(folder.id);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.timing.settleMs);
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    this.rescan(ids);
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

import type { FolderInfo } from '../../../src/common/api';
import { call } from './api';
import { indexing } from './indexing.svelte';
import { ErrorState } from './error-state.svelte';

/** The watched folders: add (native picker, then index it), remove, rescan. */
class FoldersManager extends ErrorState {
  list = $state<FolderInfo[]>([]);
  protected override errorContext = 'folder' as const;

  async load(): Promise<void> {
    await this.guard(async () => (this.list = await call('folders.list', {})));
  }

  /**
   * The system's folder picker, then the folder is added and indexed. `index: false` leaves the
   * indexing to the caller (the welcome sheet starts it once the face models are there). Returns the
   * folder, or null when the user cancelled or it could not be added (the error says why).
   */
  async pickAndAdd(options: { index?: boolean } = {}): Promise<FolderInfo | null> {
    let added: FolderInfo | null = null;
    await this.guard(async () => {
      const { path } = await call('app.pickFolder', {});
      if (path) added = await this.addOrThrow(path, options);
    });
    return added;
  }

  async add(path: string): Promise<void> {
    await this.guard(() => this.addOrThrow(path, {}));
  }

  private async addOrThrow(path: string, { index = true }: { index?: boolean }): Promise<FolderInfo> {
    const folder = await call('folders.add', { path });
    await this.load();
    if (index) await indexing.start([folder.id]);
    return folder;
  }

  async remove(id: number): Promise<void> {
    await this.guard(async () => {
      await call('folders.remove', { id });
      await this.load();
    });
  }

  rescan(id: number): Promise<void> {
    return indexing.start([id]);
  }
}

export const folders = new FoldersManager();

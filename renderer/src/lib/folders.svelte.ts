import type { FolderInfo } from '../../../src/common/api';
import { call } from './api';
import { indexing } from './indexing.svelte';
import { ErrorState } from './error-state.svelte';

/** The watched folders: add (native picker, then index it), remove, rescan. */
class FoldersManager extends ErrorState {
  list = $state<FolderInfo[]>([]);

  async load(): Promise<void> {
    await this.guard(async () => (this.list = await call('folders.list', {})));
  }

  async pickAndAdd(): Promise<void> {
    await this.guard(async () => {
      const { path } = await call('app.pickFolder', {});
      if (path) await this.add(path);
    });
  }

  async add(path: string): Promise<void> {
    await this.guard(async () => {
      const folder = await call('folders.add', { path });
      await this.load();
      await indexing.start([folder.id]);
    });
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

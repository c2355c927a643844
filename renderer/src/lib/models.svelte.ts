import type { LibraryStatus } from '../../../src/common/api';
import type { ModelStatus, ModelVerification } from '../../../src/common/api/models';
import { call, on } from './api';
import { ErrorState } from './error-state.svelte';

export interface DownloadState {
  receivedBytes: number;
  totalBytes: number | null;
}

/** Models of the manifest, their downloads (progress pushed by the engine) and the provider in use. */
class ModelsManager extends ErrorState {
  protected override errorContext = 'download' as const;
  list = $state<ModelStatus[]>([]);
  status = $state<LibraryStatus | null>(null);
  downloads = $state<Record<string, DownloadState>>({});
  verified = $state<Record<string, ModelVerification>>({});
  private unsubscribe: (() => void) | null = null;

  /** The CLIP model search uses, if one is installed. */
  get clip(): ModelStatus | undefined {
    return this.list.find((m) => m.task === 'clip' && m.installed);
  }

  get clipToDownload(): ModelStatus | undefined {
    return this.list.find((m) => m.task === 'clip' && m.default) ?? this.list.find((m) => m.task === 'clip');
  }

  async load(): Promise<void> {
    this.unsubscribe ??= on('models.downloadProgress', ({ modelId, receivedBytes, totalBytes }) => {
      this.downloads = { ...this.downloads, [modelId]: { receivedBytes, totalBytes } };
    });
    await this.guard(async () => {
      [this.list, this.status] = await Promise.all([call('models.list', {}), call('library.status', {})]);
    });
  }

  async download(id: string): Promise<void> {
    this.downloads = { ...this.downloads, [id]: { receivedBytes: 0, totalBytes: null } };
    await this.guard(() => call('models.download', { id }));
    const { [id]: _done, ...rest } = this.downloads;
    this.downloads = rest;
    await this.load();
  }

  /**
   * The default face models in one engine call (`models.downloadDefaults`): the engine fetches each in
   * turn, skips files already intact, and reports every model's bytes as `models.downloadProgress`.
   */
  async downloadDefaults(ids: readonly string[]): Promise<void> {
    this.downloads = { ...this.downloads, ...Object.fromEntries(ids.map((id) => [id, { receivedBytes: 0, totalBytes: null }])) };
    await this.guard(() => call('models.downloadDefaults', {}));
    this.downloads = Object.fromEntries(Object.entries(this.downloads).filter(([id]) => !ids.includes(id)));
    await this.load();
  }

  async verify(id: string): Promise<void> {
    await this.guard(async () => (this.verified = { ...this.verified, [id]: await call('models.verify', { id }) }));
  }

  async remove(id: string): Promise<void> {
    await this.guard(() => call('models.remove', { id }));
    await this.load();
  }
}

export const models = new ModelsManager();

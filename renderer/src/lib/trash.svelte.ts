import { call } from './api';
import { showError } from './errors.svelte';
import { t } from './i18n.svelte';
import { indexing } from './indexing.svelte';
import { library } from './library.svelte';
import { toasts } from './toast.svelte';

/** A move to the system trash waiting for the user's yes (the app's own, translated dialog asks). */
export interface TrashRequest {
  photoIds: number[];
  onDone?: () => void;
}

/**
 * The system trash, after a confirmation that counts what it moves. Nothing is deleted: the photos
 * can be restored from the trash, and a rescan then marks them missing in the library (their names
 * and albums are kept, as for any file that goes away).
 */
class Trash {
  request = $state<TrashRequest | null>(null);

  ask(photoIds: number[], onDone?: () => void): void {
    if (photoIds.length > 0) this.request = { photoIds, ...(onDone ? { onDone } : {}) };
  }

  cancel(): void {
    this.request = null;
  }

  async confirm(): Promise<void> {
    const request = this.request;
    this.request = null;
    if (!request) return;
    try {
      const result = await call('app.trashPhotos', { photoIds: request.photoIds }); // the dialog above was the one confirmation
      toasts.show({ message: t('trash.moved', { count: result.trashed.length }) });
      request.onDone?.();
    } catch (error) {
      showError(error); // a failure part-way still moved the photos before it: the library looks again below
    }
    try {
      await indexing.start();
      await library.reload();
    } catch (error) {
      showError(error);
    }
  }
}

export const trash = new Trash();

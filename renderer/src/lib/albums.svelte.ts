import type { AlbumSummary } from '../../../src/common/api/organizer';
import { call } from './api';
import { showError } from './errors.svelte';
import { t } from './i18n.svelte';
import { library } from './library.svelte';
import { toasts } from './toast.svelte';

/**
 * Albums and favourites: create an album from the selection, add to one, rename, delete (the photos
 * stay), and the F key's favourite. Every failure is a translated error toast.
 */
class AlbumsManager {
  list = $state.raw<AlbumSummary[]>([]);

  async load(): Promise<void> {
    try {
      this.list = await call('albums.list', {});
    } catch (error) {
      showError(error);
    }
  }

  async create(name: string, photoIds: number[]): Promise<AlbumSummary | null> {
    try {
      const album = await call('albums.create', { name, photoIds });
      await this.load();
      toasts.show({ message: t('albums.created', { name: album.name, count: album.photos }) });
      return album;
    } catch (error) {
      showError(error);
      return null;
    }
  }

  async add(album: AlbumSummary, photoIds: number[]): Promise<void> {
    try {
      const { added } = await call('albums.add', { id: album.id, photoIds });
      await this.load();
      toasts.show({ message: t('albums.added', { name: album.name, count: added }) });
    } catch (error) {
      showError(error);
    }
  }

  async remove(album: AlbumSummary, photoIds: number[]): Promise<void> {
    try {
      await call('albums.remove', { id: album.id, photoIds });
      await Promise.all([this.load(), library.reload()]);
    } catch (error) {
      showError(error);
    }
  }

  async rename(album: AlbumSummary, name: string): Promise<boolean> {
    try {
      await call('albums.rename', { id: album.id, name });
      await this.load();
      if (library.source.kind === 'album' && library.source.id === album.id) library.source = { ...library.source, name };
      return true;
    } catch (error) {
      showError(error);
      return false;
    }
  }

  async delete(album: AlbumSummary): Promise<void> {
    try {
      await call('albums.delete', { id: album.id });
      await this.load();
      toasts.show({ message: t('albums.deleted', { name: album.name }) });
    } catch (error) {
      showError(error);
    }
  }

  /**
   * F: favourite the photos, or, when all of them already are, unfavourite them (a toggle that does
   * what the user expects for a mixed selection: make them all favourites).
   */
  async toggleFavourite(photoIds: number[]): Promise<void> {
    const favourites = new Set(library.photos.filter((p) => p.favourite).map((p) => p.id));
    const favourite = !photoIds.every((id) => favourites.has(id));
    try {
      await call('favourites.set', { photoIds, favourite });
      library.markFavourite(photoIds, favourite);
      if (library.source.kind === 'favourites') await library.reload();
      toasts.show({
        message: favourite ? t('library.favourited', { count: photoIds.length }) : t('library.unfavourited', { count: photoIds.length }),
      });
    } catch (error) {
      showError(error);
    }
  }
}

export const albums = new AlbumsManager();

import type { PhotoSummary } from '../../../src/common/api';
import { call } from './api';
import { coalesce } from './coalesce';

const FIRST_PAGE = 240;
const PAGE = 2000;
const MAX_PAGE = 10_000;

/**
 * The photos of the library, newest first, loaded page by page as the grid approaches the loaded edge.
 * `$state.raw`: 100k photo objects must not become deep proxies; arrays are replaced, not mutated.
 */
class LibraryManager {
  photos = $state.raw<PhotoSummary[]>([]);
  total = $state(0);
  loaded = $state(false);
  error = $state<string | null>(null);
  private loading: Promise<void> | null = null;
  private target = 0;

  /** Back to the first page; bursts of "indexed" events collapse into one follow-up reload. */
  reload = coalesce(() => this.load());

  private async load(): Promise<void> {
    try {
      const page = await call('library.photos', { offset: 0, limit: FIRST_PAGE });
      this.photos = page.photos;
      this.total = page.total;
      this.target = 0;
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  /**
   * Loads pages until photo `index` is in memory (the grid asks for what it shows). A request made
   * while a page is in flight raises the target instead of being dropped, so a fast scroll to the end
   * keeps loading until it gets there.
   */
  ensureLoaded(index: number): Promise<void> {
    this.target = Math.max(this.target, index);
    this.loading ??= (async () => {
      try {
        while (this.target >= this.photos.length && this.photos.length < this.total) {
          const limit = this.target - this.photos.length > PAGE ? MAX_PAGE : PAGE;
          const page = await call('library.photos', { offset: this.photos.length, limit });
          if (page.photos.length === 0) break;
          this.photos = [...this.photos, ...page.photos];
          this.total = page.total;
        }
      } catch (error) {
        this.error = (error as Error).message;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  ids(): number[] {
    return this.photos.map((p) => p.id);
  }
}

export const library = new LibraryManager();

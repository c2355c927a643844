import type { PhotoSummary } from '../../../src/common/api';
import { call } from './api';
import { coalesce } from './coalesce';
import { describeError } from './errors.svelte';

const FIRST_PAGE = 240;
const PAGE = 2000;
const MAX_PAGE = 10_000;

/** What the grid shows: every photo, the favourites, or one album. */
export type PhotoSource = { kind: 'all' } | { kind: 'favourites' } | { kind: 'album'; id: number; name: string };

const sourceKey = (s: PhotoSource) => (s.kind === 'album' ? `album:${s.id}` : s.kind);

/**
 * The photos of the grid, newest first, loaded page by page as the grid approaches the loaded edge.
 * `$state.raw`: 100k photo objects must not become deep proxies; arrays are replaced, not mutated.
 * The scroll position of each source is kept, so leaving the Library and coming back (or Back) lands
 * where the user was.
 */
class LibraryManager {
  source = $state.raw<PhotoSource>({ kind: 'all' });
  photos = $state.raw<PhotoSummary[]>([]);
  total = $state(0);
  /** Photos per month of the whole source (loaded or not), for the date scrubber. */
  months = $state.raw<{ month: string; count: number }[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  private loading: Promise<void> | null = null;
  private target = 0;
  private scroll = new Map<string, number>();

  /** Back to the first page; bursts of "indexed" events collapse into one follow-up reload. */
  reload = coalesce(() => this.load());

  async show(source: PhotoSource): Promise<void> {
    if (sourceKey(source) === sourceKey(this.source)) return;
    this.source = source;
    this.photos = [];
    this.total = 0;
    this.loaded = false;
    await this.reload();
  }

  get scrollTop(): number {
    return this.scroll.get(sourceKey(this.source)) ?? 0;
  }

  set scrollTop(value: number) {
    this.scroll.set(sourceKey(this.source), value);
  }

  private page(offset: number, limit: number): Promise<{ total: number; photos: PhotoSummary[] }> {
    const source = this.source;
    if (source.kind === 'all') return call('library.photos', { offset, limit });
    if (source.kind === 'favourites') return call('albums.photos', { favourites: true, offset, limit });
    return call('albums.photos', { albumId: source.id, offset, limit });
  }

  private async load(): Promise<void> {
    const source = this.source;
    try {
      const filter = source.kind === 'album' ? { albumId: source.id } : source.kind === 'favourites' ? { favourites: true as const } : {};
      // Keep as many photos as were loaded, so a refresh while indexing never collapses a scrolled grid.
      const limit = Math.min(MAX_PAGE, Math.max(FIRST_PAGE, this.photos.length));
      const [page, months] = await Promise.all([this.page(0, limit), call('library.months', filter)]);
      if (source !== this.source) return;
      this.photos = page.photos;
      this.total = page.total;
      this.months = months;
      this.target = 0;
      this.error = null;
    } catch (error) {
      this.error = describeError(error).message;
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
          const source = this.source;
          const limit = this.target - this.photos.length > PAGE ? MAX_PAGE : PAGE;
          const page = await this.page(this.photos.length, limit);
          if (page.photos.length === 0 || source !== this.source) break;
          this.photos = [...this.photos, ...page.photos];
          this.total = page.total;
        }
      } catch (error) {
        this.error = describeError(error).message;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  ids(): number[] {
    return this.photos.map((p) => p.id);
  }

  /** Favourite flags changed: patch the loaded rows instead of reloading 100k photos. */
  markFavourite(ids: readonly number[], favourite: boolean): void {
    const changed = new Set(ids);
    this.photos = this.photos.map((p) => (changed.has(p.id) ? { ...p, favourite } : p));
  }
}

export const library = new LibraryManager();

import type { SearchHit, TagSummary } from '../../../src/common/api/search';
import type { ParsedQuery, QueryChip } from '../../../src/common/api/search-query';
import { ApiCallError, call } from './api';
import { describeError, showError } from './errors.svelte';
import { t } from './i18n.svelte';
import { toasts } from './toast.svelte';

/** The search screen's query (text + chips), its results, and the tags offered as chips. */
class SearchManager {
  text = $state('');
  people = $state<string[]>([]);
  from = $state('');
  to = $state('');
  tag = $state<string | null>(null);
  sort = $state<'relevance' | 'date'>('relevance');
  results = $state.raw<SearchHit[]>([]);
  tags = $state.raw<TagSummary[]>([]);
  searching = $state(false);
  searched = $state(false);
  error = $state<string | null>(null);
  /** The last search needed a CLIP model that is not installed (a query of filters alone never does). */
  needsModel = $state(false);
  /** How the engine read the typed query: the chips ("Mina · summer 2025 · Busan · jumping"). */
  reading = $state.raw<ParsedQuery | null>(null);
  private generation = 0;

  get hasQuery(): boolean {
    return this.text.trim() !== '' || this.tag !== null || this.people.length > 0;
  }

  async loadTags(): Promise<void> {
    try {
      // The user's own saved tags first (they asked for them), then the commonest zero-shot ones.
      this.tags = (await call('search.tags', {}))
        .filter((tag) => tag.photos > 0)
        .sort((a, b) => Number(b.source === 'user') - Number(a.source === 'user') || b.photos - a.photos);
    } catch {
      this.tags = []; // no CLIP model yet: the page says so
    }
  }

  /** Runs the current query; an older answer arriving late never overwrites a newer one. */
  async run(): Promise<void> {
    if (!this.hasQuery) {
      this.results = [];
      this.reading = null;
      this.searched = false;
      return;
    }
    const generation = ++this.generation;
    this.searching = true;
    const text = this.text.trim();
    void call('search.interpret', { text }).then(
      (reading) => generation === this.generation && (this.reading = reading),
      () => generation === this.generation && (this.reading = null),
    );
    try {
      const results = await call('search.query', {
        text: this.text.trim(),
        people: this.people,
        ...(this.from ? { from: this.from } : {}),
        ...(this.to ? { to: this.to } : {}),
        ...(this.tag ? { tag: this.tag } : {}),
        sort: this.sort,
        limit: 200,
      });
      if (generation !== this.generation) return;
      this.results = results;
      this.error = null;
      this.needsModel = false;
    } catch (error) {
      if (generation !== this.generation) return;
      this.results = [];
      this.error = describeError(error).message;
      this.needsModel = error instanceof ApiCallError && error.code === 'model_missing';
    } finally {
      if (generation === this.generation) {
        this.searching = false;
        this.searched = true;
      }
    }
  }

  /**
   * Keeps the typed query as a tag of its own (a saved zero-shot concept): photos that match it are
   * tagged now and as they are indexed, and it shows among the tag chips.
   */
  async saveAsTag(): Promise<void> {
    const query = this.text.trim();
    if (!query) return;
    try {
      const saved = await call('search.addConcept', { name: query });
      await this.loadTags();
      // In the app the worker tags the photos in the background; the chips reload when it says tags changed.
      toasts.show({
        message: saved.pending
          ? t('search.savingTag', { tag: saved.name })
          : t('search.savedTag', { tag: saved.name, count: saved.photos }),
      });
    } catch (error) {
      showError(error);
    }
  }

  /**
   * Drops one part of the query (a chip): the query becomes the other chips' words, so the search box
   * always shows exactly what is searched.
   */
  removeChip(chip: QueryChip): void {
    const chips = this.reading?.chips ?? [];
    this.text = chips
      .filter((c) => c !== chip)
      .map((c) => c.source)
      .join(' ');
    void this.run();
  }

  /** Picks another person for words that matched several ("Mina" → "Mina Park"): their full name goes in the query. */
  choosePerson(words: string, name: string): void {
    const chips = this.reading?.chips ?? [];
    const chip = chips.find((c) => c.kind === 'person' && this.reading?.people.some((p) => p.words === words && p.name === c.label));
    this.text = chips.map((c) => (c === chip ? c.source.replace(words, name) : c.source)).join(' ');
    void this.run();
  }

  /** Adds a place to the query by name (the Places view and the place chip use it). */
  addToQuery(words: string): void {
    this.text = [this.text.trim(), words].filter(Boolean).join(' ');
    void this.run();
  }

  togglePerson(name: string): void {
    this.people = this.people.includes(name) ? this.people.filter((p) => p !== name) : [...this.people, name];
    void this.run();
  }

  setTag(tag: string | null): void {
    this.tag = this.tag === tag ? null : tag;
    void this.run();
  }
}

export const search = new SearchManager();

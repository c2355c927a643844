import type { FaceInfo } from '../../../src/common/api';
import type { PersonDetail, SuggestionInfo } from '../../../src/common/api/people';
import { call } from './api';
import { describeError } from './errors.svelte';
import { t } from './i18n.svelte';
import { people } from './people.svelte';
import { router } from './router.svelte';

/** One person's page: their faces, the faces that might be them, and the edits made from there. */
export class PersonState {
  detail = $state<PersonDetail | null>(null);
  faces = $state.raw<FaceInfo[]>([]);
  suggestions = $state.raw<SuggestionInfo[]>([]);
  selection = $state<number[]>([]);
  error = $state<string | null>(null);

  constructor(readonly id: number) {}

  /** The name, or "this person" in messages and buttons about an unnamed cluster ("Not this person"). */
  get name(): string {
    return this.detail?.name ?? t('people.thisPerson');
  }

  /** Distinct photos of the person, in the order their faces came. */
  get photoIds(): number[] {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway set, never stored or observed
    return [...new Set(this.faces.map((f) => f.photoId))];
  }

  async load(): Promise<void> {
    try {
      const [detail, faces, suggestions] = await Promise.all([
        call('people.get', { id: this.id }),
        call('people.faces', { id: this.id, limit: 2000 }),
        call('people.suggestions', { personId: this.id, limit: 200 }),
      ]);
      this.detail = detail;
      this.faces = faces;
      this.suggestions = suggestions;
      this.selection = this.selection.filter((id) => faces.some((f) => f.id === id));
      this.error = null;
    } catch (error) {
      // The person may have been merged away (e.g. after an undo elsewhere): back to People.
      if ((error as { code?: string }).code === 'not_found') router.go({ name: 'people' });
      else this.error = describeError(error).message;
    }
  }

  private async edit(action: Parameters<typeof people.edit>[0], message: string, refreshSuggestions = false): Promise<void> {
    const result = await people.edit(action, message, { refreshSuggestions });
    if (result) await this.load();
  }

  rename(name: string): Promise<void> {
    return this.edit(() => call('people.name', { id: this.id, name }), t('person.renamed', { name }), true);
  }

  mergeInto(into: number): Promise<void> {
    return people.merge(this.id, into).then((r) => {
      if (r) router.go({ name: 'person', id: into });
    });
  }

  accept(faceIds: number[]): Promise<void> {
    return this.edit(() => call('people.acceptSuggestions', { faceIds }), t('person.accepted', { count: faceIds.length, name: this.name }));
  }

  decline(faceIds: number[]): Promise<void> {
    return this.edit(() => call('people.rejectSuggestions', { faceIds }), t('person.declined', { count: faceIds.length }));
  }

  rejectSelected(): Promise<void> {
    const faceIds = this.selection;
    return this.edit(() => call('people.reject', { faceIds }), t('person.rejected', { count: faceIds.length, name: this.name }));
  }

  moveSelected(to: number): Promise<void> {
    const faceIds = this.selection;
    return this.edit(
      () => call('people.move', { faceIds, to }),
      t('person.moved', { count: faceIds.length, name: people.displayName(people.byId(to)) }),
    );
  }

  splitSelected(): Promise<void> {
    const faceIds = this.selection;
    return this.edit(() => call('people.split', { id: this.id, faceIds }), t('person.split', { count: faceIds.length }));
  }

  setCover(faceId: number): Promise<void> {
    return this.edit(() => call('people.setCover', { id: this.id, faceId }), t('person.coverSet'));
  }

  get hidden(): boolean {
    return this.detail?.hidden ?? false;
  }

  /** Hides the person from People (a stranger in the background); undoable like every edit. */
  async hide(): Promise<void> {
    const result = await people.edit(() => call('people.hide', { id: this.id, hidden: true }), t('person.hidden', { name: this.name }));
    if (result) router.go({ name: 'people' });
  }

  /** Shows a hidden person in People again (found under "Hidden"). */
  async unhide(): Promise<void> {
    const result = await people.edit(() => call('people.hide', { id: this.id, hidden: false }), t('person.unhidden', { name: this.name }));
    if (result) await this.load();
  }

  toggle(faceId: number): void {
    this.selection = this.selection.includes(faceId) ? this.selection.filter((f) => f !== faceId) : [...this.selection, faceId];
  }
}

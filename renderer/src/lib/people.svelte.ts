import type { FaceInfo } from '../../../src/common/api';
import type { EditResult, PersonSummary, SuggestionInfo } from '../../../src/common/api/people';
import { call } from './api';
import { coalesce } from './coalesce';
import { describeError, showError } from './errors.svelte';
import { t } from './i18n.svelte';
import { toasts } from './toast.svelte';

/** Unassigned faces shown at first, and added by each "Show more": every one is reachable. */
const UNASSIGNED_PAGE = 48;
/**
 * Questions about unassigned faces shown in place (the clearest of the review queue); the rest wait in
 * "Review N faces", and their faces stay reachable in the list below.
 */
const QUESTIONS_SHOWN = 24;

/**
 * Everyone the engine found: named people first (alphabetical), then unnamed clusters (largest first),
 * then the faces that belong to nobody yet. Every edit goes through `edit`, which offers Undo.
 */
class PeopleManager {
  list = $state<PersonSummary[]>([]);
  /** The clearest faces that belong to nobody yet (a sample: a large library has thousands). */
  unassigned = $state.raw<FaceInfo[]>([]);
  unassignedCount = $state(0);
  /**
   * The review queue's questions about faces that belong to nobody, clearest first ("Is this Alice?
   * 40%"), answered in place; skipped ones move to the end until the app restarts (a skip says "not
   * now", and coming back to the page should not ask the same face first again).
   */
  questions = $state.raw<SuggestionInfo[]>([]);
  private skipped = new Set<number>();
  private unassignedShown = UNASSIGNED_PAGE;
  loaded = $state(false);
  error = $state<string | null>(null);

  get named(): PersonSummary[] {
    return this.list.filter((p) => p.name && !p.hidden).sort((a, b) => a.name!.localeCompare(b.name!, undefined, { numeric: true }));
  }

  get unnamed(): PersonSummary[] {
    return this.list.filter((p) => !p.name && !p.hidden).sort((a, b) => b.faceCount - a.faceCount);
  }

  /** People the user hid (strangers in the background), kept apart so they can be shown again. */
  get hidden(): PersonSummary[] {
    return this.list
      .filter((p) => p.hidden)
      .sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || b.faceCount - a.faceCount);
  }

  /** Reloads everything; bursts of change events collapse into one follow-up reload. */
  reload = coalesce(() => this.load());

  private async load(): Promise<void> {
    try {
      const [list, faces, status, questions] = await Promise.all([
        call('people.list', { includeHidden: true }),
        call('library.faces', { unassigned: true, limit: this.unassignedShown }),
        call('library.status', {}),
        call('people.suggestions', { unassigned: true, limit: QUESTIONS_SHOWN }),
      ]);
      this.list = list;
      this.unassigned = faces;
      this.questions = [...questions.filter((q) => !this.skipped.has(q.faceId)), ...questions.filter((q) => this.skipped.has(q.faceId))];
      this.unassignedCount = status.counts.unassignedFaces;
      this.error = null;
    } catch (error) {
      this.error = describeError(error).message;
    } finally {
      this.loaded = true;
    }
  }

  /** The next page of unassigned faces, after the ones shown (the count says how many remain). */
  async loadMoreUnassigned(): Promise<void> {
    try {
      const more = await call('library.faces', { unassigned: true, offset: this.unassigned.length, limit: UNASSIGNED_PAGE * 4 });
      const known = new Set(this.unassigned.map((f) => f.id));
      this.unassigned = [...this.unassigned, ...more.filter((f) => !known.has(f.id))];
      this.unassignedShown = this.unassigned.length;
    } catch (error) {
      showError(error);
    }
  }

  /** Unassigned faces with no question shown above them (each face appears once on the page). */
  get unassignedWithoutQuestion(): FaceInfo[] {
    const asked = new Set(this.questions.map((q) => q.faceId));
    return this.unassigned.filter((f) => !asked.has(f.id));
  }

  /** Yes to an unassigned face's guess: it joins that person; the queue is asked again (the answer changes others). */
  acceptQuestion(faceId: number): Promise<EditResult | null> {
    const question = this.questions.find((q) => q.faceId === faceId);
    const message = t('person.accepted', { count: 1, name: question?.personName ?? t('people.someone') });
    return this.edit(() => call('people.acceptSuggestions', { faceIds: [faceId] }), message, { refreshSuggestions: true });
  }

  /** No: that person is never suggested for the face again; the next best guess may be asked. */
  declineQuestion(faceId: number): Promise<EditResult | null> {
    return this.edit(() => call('people.rejectSuggestions', { faceIds: [faceId] }), t('person.declined', { count: 1 }), {
      refreshSuggestions: true,
    });
  }

  /** Skip: the question moves to the end of the list until the app restarts; nothing is saved. */
  skipQuestion(faceId: number): void {
    this.skipped.add(faceId);
    const question = this.questions.find((q) => q.faceId === faceId);
    if (question) this.questions = [...this.questions.filter((q) => q.faceId !== faceId), question];
  }

  byId(id: number): PersonSummary | undefined {
    return this.list.find((p) => p.id === id);
  }

  displayName(person: { name: string | null } | undefined): string {
    return person?.name ?? t('people.unnamed');
  }

  /**
   * Runs one edit, reloads, and offers Undo in a toast (our own words, so it is translated). A name
   * changes which unassigned faces look like whom, so `refreshSuggestions` re-runs the (incremental)
   * clustering before reloading: "Is this Alice?" appears right after Alice is named.
   */
  async edit(
    action: () => Promise<EditResult>,
    message: string,
    options: { refreshSuggestions?: boolean } = {},
  ): Promise<EditResult | null> {
    try {
      const result = await action();
      // orQueue: while a job holds the writer lock (indexing), the engine leaves this to the re-suggest
      // job the edit queued, instead of answering "library is busy" for a name that was saved.
      if (options.refreshSuggestions) await call('people.recluster', { full: false, orQueue: true });
      await this.reload();
      toasts.show({ message, undo: () => this.undo() });
      return result;
    } catch (error) {
      showError(error);
      return null;
    }
  }

  async undo(): Promise<void> {
    try {
      const { undone } = await call('people.undo', {});
      await this.reload();
      toasts.show({ message: undone ? t('people.undone') : t('people.nothingToUndo') });
    } catch (error) {
      showError(error);
    }
  }

  merge(id: number, into: number): Promise<EditResult | null> {
    const label = (person: PersonSummary | undefined) => person?.name ?? t('people.someone');
    const message = t('people.merged', { from: label(this.byId(id)), into: label(this.byId(into)) });
    return this.edit(() => call('people.merge', { id, into }), message);
  }

  /** Several people into one, one Undo for all: `into` is the person whose name is kept. */
  mergeMany(ids: number[], into: number): Promise<EditResult | null> {
    if (ids.length === 1) return this.merge(ids[0]!, into);
    const message = t('people.mergedMany', { count: ids.length + 1, into: this.byId(into)?.name ?? t('people.someone') });
    return this.edit(() => call('people.mergeMany', { ids, into }), message);
  }
}

export const people = new PeopleManager();

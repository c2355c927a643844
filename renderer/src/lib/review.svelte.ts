import type { SuggestionInfo } from '../../../src/common/api/people';
import { call } from './api';
import { errorCode, showError } from './errors.svelte';
import { people } from './people.svelte';

/**
 * Yes to the guess, no to it (remembered), skip, a typed name (the face's or cluster's person), or
 * hide: an unnamed cluster of a stranger leaves People (as "Hide" on their card) and is asked no more.
 */
export type Answer = 'yes' | 'no' | 'skip' | 'hide' | { name: string };

/** How many suggestions one review asks about (the clearest questions come first from the engine). */
const QUEUE_LIMIT = 2000;

/**
 * "Review N faces": one queue of questions across all people, answered with the keyboard (Y yes,
 * N no, S skip, T type a name, ← back). A question is a face's best guess ("Is this Alice? 40%") or an
 * unnamed cluster ("Who is this?", several of its faces shown; with a guess when one is likely). The
 * next question shows at once; the answer is saved behind it, in order, and the rest of the queue is
 * refreshed with what the answer changed. Back undoes the last answer (one engine edit each).
 */
const settledBy = (questions: readonly SuggestionInfo[]): number => questions.reduce((sum, q) => sum + q.settles, 0);

class Review {
  open = $state(false);
  queue = $state.raw<SuggestionInfo[]>([]);
  index = $state(0);
  /**
   * Faces the waiting questions settle, for the People page's "Review N faces": a "Who is this?"
   * question counts all its cluster's faces, so the button and the sheet's "· N faces" agree.
   */
  total = $state(0);
  private answers: Answer[] = [];
  private saving: Promise<void> = Promise.resolve();

  get current(): SuggestionInfo | undefined {
    return this.queue[this.index];
  }

  /** Questions still to answer in this review: falls by one with every answer. */
  get remaining(): number {
    return Math.max(0, this.queue.length - this.index);
  }

  /** Faces those questions settle (a cluster's question settles all its faces): falls as they are answered. */
  get remainingFaces(): number {
    return settledBy(this.queue.slice(this.index));
  }

  async count(): Promise<void> {
    try {
      this.total = settledBy(await call('people.suggestions', { limit: QUEUE_LIMIT }));
    } catch {
      this.total = 0;
    }
  }

  async start(): Promise<void> {
    try {
      this.queue = await call('people.suggestions', { limit: QUEUE_LIMIT });
      this.index = 0;
      this.answers = [];
      this.open = this.queue.length > 0;
    } catch (error) {
      showError(error);
    }
  }

  /**
   * `unticked`: shown faces of a cluster the user says are not this person; they are not confirmed
   * (they stay in the cluster as automatic faces, checked against the confirmed ones).
   */
  answer(answer: Answer, unticked: ReadonlySet<number> = new Set()): void {
    const current = this.current;
    if (!current) return;
    const question = { ...current, faceIds: current.faceIds.filter((id) => !unticked.has(id)) };
    if (question.faceIds.length === 0 && answer !== 'skip') return;
    // Yes and No need a guess; a "Who is this?" is answered with a name or skipped.
    if ((answer === 'yes' || answer === 'no') && question.personName === null) return;
    // Only a cluster is a person to hide; a question about one face has none.
    if (answer === 'hide' && (question.kind !== 'cluster' || question.clusterId === null)) return;
    if (typeof answer === 'object' && !answer.name.trim()) return;
    this.answers.push(answer);
    this.index++;
    if (answer === 'skip') return;
    this.enqueue(async () => {
      await save(question, answer);
      // A typed name may be a new person: the name field's typeahead offers it for the next question.
      if (typeof answer === 'object') await people.reload();
      await this.refreshAhead();
    });
  }

  /** ←: the previous face again; if it was answered, the answer is undone (the engine's Undo). */
  back(): void {
    if (this.index === 0) return;
    const last = this.answers.pop();
    this.index--;
    if (last && last !== 'skip') this.enqueue(() => call('people.undo', {}).then(() => undefined));
  }

  async close(): Promise<void> {
    this.open = false;
    await this.saving;
    await people.reload();
    await this.count();
  }

  /**
   * Answers are saved in order. A face whose suggestion went away meanwhile (an earlier answer
   * settled it) is refused as invalid: the question no longer applies, so that is not an error to show.
   */
  private enqueue(work: () => Promise<void>): void {
    this.saving = this.saving.then(work).catch((error: unknown) => {
      if (errorCode(error) !== 'invalid_argument') showError(error);
    });
  }

  /**
   * An answer changes other suggestions (a face accepted as Alice makes her look-alikes likelier):
   * the faces after the one in view are replaced by the engine's fresh queue, minus those already seen.
   */
  private async refreshAhead(): Promise<void> {
    const fresh = await call('people.suggestions', { limit: QUEUE_LIMIT });
    const shown = this.queue.slice(0, this.index + 1);
    const seen = new Set(shown.map((s) => s.faceId));
    this.queue = [...shown, ...fresh.filter((s) => !seen.has(s.faceId))];
  }
}

/**
 * One answer, one engine edit (so Back's undo reverses exactly it). A cluster's "yes" or typed name
 * names the whole cluster and confirms the faces the user saw; a face's typed name names that face
 * alone (a member of a mixed cluster leaves it; the rest of the cluster stays as it is).
 */
async function save(question: SuggestionInfo, answer: Exclude<Answer, 'skip'>): Promise<void> {
  const faceIds = [question.faceId]; // a guess is asked, and declined, through this face
  if (answer === 'hide') await call('people.hide', { id: question.clusterId!, hidden: true });
  else if (answer === 'no') await call('people.rejectSuggestions', { faceIds });
  else if (answer === 'yes' && question.kind === 'face') await call('people.acceptSuggestions', { faceIds });
  else {
    const name = answer === 'yes' ? question.personName! : answer.name.trim();
    if (question.kind === 'cluster') await call('people.nameCluster', { faceIds: question.faceIds, name });
    else await call('people.nameFace', { faceId: question.faceId, name, alone: true });
  }
}

export const review = new Review();

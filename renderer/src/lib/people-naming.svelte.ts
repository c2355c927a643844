import type { PersonSummary } from '../../../src/common/api/people';
import { call } from './api';
import { t } from './i18n.svelte';
import { people } from './people.svelte';

/** A name typed on a card that another person already has: the card offers to merge instead. */
export interface NameClash {
  personId: number;
  name: string;
  existing: PersonSummary;
}

const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/**
 * Naming people straight from their cards on the People page, at typing speed. The unnamed section
 * keeps the order it had when the page opened (a person just named stays where they were, so the
 * next card never jumps), and the page's scroll position is kept when the user comes Back.
 */
class PeopleNaming {
  /** Ids of the "Not named yet" section, in the order first shown. */
  order = $state<number[]>([]);
  scrollTop = 0;
  clash = $state<NameClash | null>(null);
  /** Names saved but not yet reflected in `people.list`, so two cards cannot both take one name. */
  private pending = new Map<number, string>();

  /** A fresh visit: today's unnamed people, largest first. */
  reset(): void {
    this.order = people.unnamed.map((p) => p.id);
    this.scrollTop = 0;
    this.clash = null;
  }

  /**
   * The unnamed section as shown: the remembered order (people named meanwhile stay in place with
   * their new name; people merged away drop out), then anyone new at the end.
   */
  get section(): PersonSummary[] {
    const byId = new Map(people.list.map((p) => [p.id, p]));
    const kept = this.order.map((id) => byId.get(id)).filter((p): p is PersonSummary => p !== undefined && !p.hidden);
    const known = new Set(this.order);
    return [...kept, ...people.unnamed.filter((p) => !known.has(p.id))];
  }

  /** Named people who are not in the section above (named before this visit). */
  get named(): PersonSummary[] {
    const inSection = new Set(this.order);
    return people.named.filter((p) => !inSection.has(p.id));
  }

  displayedName(person: PersonSummary): string {
    return this.pending.get(person.id) ?? person.name ?? '';
  }

  /**
   * Saves a name typed on a card. Returns 'saved' at once (the edit runs in the background, so the
   * next card can be typed into), 'clash' when someone else has that name (the card offers a merge),
   * or 'unchanged'.
   */
  save(person: PersonSummary, typed: string): 'saved' | 'clash' | 'unchanged' {
    const name = typed.trim();
    if (!name || sameName(name, this.displayedName(person))) return 'unchanged';
    const existing = this.owner(name, person.id);
    if (existing) {
      this.clash = { personId: person.id, name, existing };
      return 'clash';
    }
    this.pending.set(person.id, name);
    void people
      .edit(() => call('people.name', { id: person.id, name }), t('person.renamed', { name }), { refreshSuggestions: true })
      .finally(() => {
        if (this.pending.get(person.id) === name) this.pending.delete(person.id);
      });
    return 'saved';
  }

  /** "Merge with Alice?": yes. The card's faces join Alice (one undoable edit). */
  async mergeClash(): Promise<void> {
    const clash = this.clash;
    this.clash = null;
    if (clash) await people.merge(clash.personId, clash.existing.id);
  }

  cancelClash(): void {
    this.clash = null;
  }

  private owner(name: string, except: number): PersonSummary | undefined {
    for (const [id, pendingName] of this.pending) if (id !== except && sameName(pendingName, name)) return people.byId(id);
    return people.list.find((p) => p.id !== except && p.name !== null && sameName(p.name, name));
  }
}

export const naming = new PeopleNaming();

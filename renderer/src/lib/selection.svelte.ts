import { SvelteSet } from 'svelte/reactivity';

/**
 * Which photos of the grid are selected, by index range as a file manager does it: click toggles
 * (once something is selected), Ctrl/⌘-click toggles, Shift-click selects from the last clicked,
 * dragging across photos selects the range, and a month's header selects the month.
 */
export class Selection {
  readonly ids = new SvelteSet<number>();
  /** The index the next Shift-click extends from. */
  anchor: number | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  clear(): void {
    this.ids.clear();
    this.anchor = null;
  }

  toggle(id: number, index: number): void {
    if (this.ids.has(id)) this.ids.delete(id);
    else this.ids.add(id);
    this.anchor = index;
  }

  /** Shift-click: everything from the anchor to here joins the selection. */
  extendTo(index: number, idAt: (i: number) => number | undefined): void {
    const from = this.anchor ?? index;
    this.addRange(Math.min(from, index), Math.max(from, index), idAt);
  }

  /**
   * Adds indices start..end (inclusive) to `base` (what was selected when a drag began, so dragging
   * back shrinks the range); photos not loaded yet (no id) are skipped.
   */
  addRange(start: number, end: number, idAt: (i: number) => number | undefined, base?: readonly number[]): void {
    if (base) {
      this.ids.clear();
      for (const id of base) this.ids.add(id);
    }
    for (let i = start; i <= end; i++) {
      const id = idAt(i);
      if (id !== undefined) this.ids.add(id);
    }
  }

  /** All of these (a month) selected? Then the header's button deselects them. */
  hasAll(ids: readonly number[]): boolean {
    return ids.length > 0 && ids.every((id) => this.ids.has(id));
  }

  setMany(ids: readonly number[], selected: boolean): void {
    for (const id of ids) {
      if (selected) this.ids.add(id);
      else this.ids.delete(id);
    }
  }
}

export const selection = new Selection();

/**
 * Which photos of the grid are selected, by index range as a file manager does it: click toggles
 * (once something is selected), Ctrl/⌘-click toggles, Shift-click selects from the last clicked,
 * dragging across photos selects the range, and a month's header selects the month.
 */
export class Selection {
  ids = $state.raw<ReadonlySet<number>>(new Set());
  /** The index the next Shift-click extends from. */
  anchor: number | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  clear(): void {
    this.ids = new Set();
    this.anchor = null;
  }

  toggle(id: number, index: number): void {
    const next = new Set(this.ids);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.ids = next;
    this.anchor = index;
  }

  /** Shift-click: everything from the anchor to here joins the selection. */
  extendTo(index: number, idAt: (i: number) => number | undefined): void {
    const from = this.anchor ?? index;
    this.addRange(Math.min(from, index), Math.max(from, index), idAt);
  }

  /** Adds indices start..end (inclusive); photos not loaded yet (no id) are skipped. */
  addRange(start: number, end: number, idAt: (i: number) => number | undefined, base: ReadonlySet<number> = this.ids): void {
    const next = new Set(base);
    for (let i = start; i <= end; i++) {
      const id = idAt(i);
      if (id !== undefined) next.add(id);
    }
    this.ids = next;
  }

  /** All of these (a month) selected? Then the header's button deselects them. */
  hasAll(ids: readonly number[]): boolean {
    return ids.length > 0 && ids.every((id) => this.ids.has(id));
  }

  setMany(ids: readonly number[], selected: boolean): void {
    const next = new Set(this.ids);
    for (const id of ids) {
      if (selected) next.add(id);
      else next.delete(id);
    }
    this.ids = next;
  }
}

export const selection = new Selection();

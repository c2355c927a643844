import { describe, expect, it } from 'vitest';
import { Selection } from './selection.svelte';

const ids = [10, 11, 12, 13, 14, 15, 16, 17];
const idAt = (i: number) => ids[i];

describe('grid selection', () => {
  it('toggles, extends with Shift from the last click, and selects a range by dragging', () => {
    const selection = new Selection();
    selection.toggle(10, 0);
    selection.extendTo(3, idAt); // Shift-click on the fourth photo
    expect([...selection.ids].sort()).toEqual([10, 11, 12, 13]);
    selection.toggle(12, 2); // Ctrl-click takes one out
    expect(selection.has(12)).toBe(false);
    // A drag from 5 to 7, then back to 6: the range follows the pointer, the earlier selection stays.
    const base = [...selection.ids];
    selection.addRange(5, 7, idAt, base);
    selection.addRange(5, 6, idAt, base);
    expect([...selection.ids].sort()).toEqual([10, 11, 13, 15, 16]);
  });

  it('selects and deselects a whole month, skipping photos not loaded yet', () => {
    const selection = new Selection();
    selection.addRange(0, 9, idAt); // indices 8 and 9 are not loaded: skipped
    expect(selection.size).toBe(8);
    expect(selection.hasAll(ids)).toBe(true);
    selection.setMany([10, 11], false);
    expect(selection.hasAll(ids)).toBe(false);
    selection.clear();
    expect(selection.size).toBe(0);
  });
});

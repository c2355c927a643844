import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tick } from 'svelte';
import { faceCrops } from '../lib/face-crops.svelte';
import { i18n } from '../lib/i18n.svelte';
import PersonCard from './PersonCard.svelte';

// Each test renders into a fresh document.
afterEach(cleanup);

const person = { id: 7, name: 'Alice', faceCount: 12, coverFaceId: null, hidden: false, cover: null };
const transfer = (id: string) => ({ types: ['application/x-facet-person'], getData: () => id, setData: vi.fn() });

describe('PersonCard', () => {
  it('shows the name and count, and "Add a name" for an unnamed cluster', () => {
    i18n.locale = 'en';
    render(PersonCard, { person, selected: false, onOpen: () => {}, onToggle: () => {}, onDropPerson: () => {} });
    expect(screen.getByRole('button', { name: 'Alice, 12 faces' })).toBeTruthy();
    cleanup();
    render(PersonCard, {
      person: { ...person, name: null },
      selected: false,
      onOpen: () => {},
      onToggle: () => {},
      onDropPerson: () => {},
    });
    expect(screen.getByText('Add a name')).toBeTruthy();
  });

  it('crops the cover face from the thumbnail with what the list gave, fetching nothing', () => {
    const api = vi.fn();
    (window as unknown as { facet: unknown }).facet = { call: api, on: () => () => {} };
    const cover = { photoId: 42, box: [400, 100, 200, 200] as [number, number, number, number], photoWidth: 1000, photoHeight: 800 };
    const { container } = render(PersonCard, {
      person: { ...person, cover },
      selected: false,
      onOpen: () => {},
      onToggle: () => {},
      onDropPerson: () => {},
    });
    const img = container.querySelector('img')!;
    expect(img.getAttribute('src')).toBe('facet://thumb/42');
    // The face's 300 px square (1.5 × the box) fills the frame: the 1000 px photo is 333% of it, shifted to x 350.
    expect(img.style.width).toBe(`${(1000 / 300) * 100}%`);
    expect(img.style.left).toBe(`${(-350 / 300) * 100}%`);
    expect(api).not.toHaveBeenCalled();
  });

  it("shows the cover face's own crop, and cuts it from the thumbnail while the crop is missing", async () => {
    const api = vi.fn();
    (window as unknown as { facet: unknown }).facet = { call: api, on: () => () => {} };
    const cover = { photoId: 42, box: [400, 100, 200, 200] as [number, number, number, number], photoWidth: 1000, photoHeight: 800 };
    const { container } = render(PersonCard, {
      person: { ...person, coverFaceId: 9, cover },
      selected: false,
      onOpen: () => {},
      onToggle: () => {},
      onDropPerson: () => {},
    });
    const crop = container.querySelector('img')!;
    expect(crop.getAttribute('src')).toBe('facet://face/9');
    expect(crop.style.left).toBe(''); // the whole crop fills the frame
    await fireEvent.error(crop); // a library from before crops, not backfilled yet: 404
    const cut = container.querySelector('img')!;
    expect(cut.getAttribute('src')).toBe('facet://thumb/42');
    expect(cut.style.left).toBe(`${(-350 / 300) * 100}%`);
    expect(api).not.toHaveBeenCalled();
    // People changed (the crop backfill ends with that news): the face asks for its crop again.
    faceCrops.changed();
    await tick();
    expect(container.querySelector('img')!.getAttribute('src')).toBe(`facet://face/9?retry=${faceCrops.generation}`);
  });

  it('merges the person dropped onto it, but not itself', async () => {
    const onDropPerson = vi.fn();
    render(PersonCard, { person, selected: false, onOpen: () => {}, onToggle: () => {}, onDropPerson });
    const card = screen.getByRole('listitem');
    await fireEvent.dragOver(card, { dataTransfer: transfer('3') });
    await fireEvent.drop(card, { dataTransfer: transfer('3') });
    await fireEvent.drop(card, { dataTransfer: transfer('7') });
    expect(onDropPerson.mock.calls).toEqual([[3]]);
  });

  it('selects with its checkbox and opens with a click', async () => {
    const onOpen = vi.fn();
    const onToggle = vi.fn();
    render(PersonCard, { person, selected: false, onOpen, onToggle, onDropPerson: () => {} });
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Select Alice' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Alice, 12 faces' }));
    expect(onToggle).toHaveBeenCalledOnce();
    expect(onOpen).toHaveBeenCalledOnce();
  });
});

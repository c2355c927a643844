import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../lib/i18n.svelte';
import PersonPage from './PersonPage.svelte';

afterEach(() => {
  cleanup();
  delete window.facet;
});

/** A bridge answering as the engine would for one person with `faceCount` faces, counting photo lookups. */
function personWithFaces(faceCount: number) {
  const photoLookups = new Set<number>();
  const faces = Array.from({ length: faceCount }, (_, i) => ({
    id: i + 1,
    photoId: i + 1,
    photo: `/p/${i + 1}.jpg`,
    box: [10, 10, 50, 50],
    score: 0.9,
    landmarks: [],
    quality: 0.8,
    person: 7,
    personName: 'Alice',
    confidence: 0.95,
  }));
  window.facet = {
    call: (async (channel: string, input: { id?: number }) => {
      const value = (() => {
        switch (channel) {
          case 'people.get':
            return {
              id: 7,
              name: 'Alice',
              faceCount,
              coverFaceId: 1,
              hidden: false,
              cover: null,
              birthDate: null,
              confirmedCount: 1,
              suggestionCount: 0,
            };
          case 'people.faces':
            return faces;
          case 'people.suggestions':
            return [];
          case 'people.list':
            return [];
          case 'library.faces':
            return [];
          case 'library.status':
            return { counts: { unassignedFaces: 0 } };
          case 'library.photo':
            photoLookups.add(input.id!);
            return { id: input.id, width: 100, height: 100, faces: [] };
          default:
            return {};
        }
      })();
      return { ok: true, value };
    }) as never,
    on: (() => () => {}) as never,
  };
  return { photoLookups };
}

describe('PersonPage', () => {
  it('draws a person with thousands of faces a page at a time, and shows more on request', async () => {
    i18n.locale = 'en';
    const bridge = personWithFaces(1000);
    render(PersonPage, { id: 7 });
    const more = await screen.findByRole('button', { name: 'Show more faces (880 not shown)' });
    expect(document.querySelectorAll('.faces > button')).toHaveLength(120);
    await fireEvent.click(more);
    expect(document.querySelectorAll('.faces > button')).toHaveLength(360);
    await screen.findByRole('button', { name: 'Show more faces (640 not shown)' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(bridge.photoLookups.size).toBeLessThanOrEqual(360); // only the faces drawn asked for their photo
  });
});

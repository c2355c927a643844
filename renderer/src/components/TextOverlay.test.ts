import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../lib/i18n.svelte';
import TextOverlay from './TextOverlay.svelte';

afterEach(() => {
  cleanup();
  delete window.facet;
});

/** A bridge answering `text.photo` as the engine does for a photo with two lines, one rotated. */
function bridgeWithText(lines: { text: string; quad: [number, number][] }[]) {
  const asked: number[] = [];
  window.facet = {
    call: (async (channel: string, input: { photoId: number }) => {
      if (channel !== 'text.photo') return { ok: false, error: { code: 'unsupported', message: channel } };
      asked.push(input.photoId);
      return {
        ok: true,
        value: {
          photoId: input.photoId,
          photo: '/p.jpg',
          state: lines.length ? 'read' : 'none',
          truncated: false,
          lines: lines.map((l) => ({ ...l, confidence: 0.98, language: 'en', box: [0, 0, 1, 1] })),
        },
      };
    }) as never,
    on: (() => () => {}) as never,
  };
  return asked;
}

describe('TextOverlay', () => {
  it('lays each recognised line over the photo as selectable text, rotated with its box', async () => {
    i18n.locale = 'en';
    const asked = bridgeWithText([
      {
        text: 'BAKERY',
        quad: [
          [400, 300],
          [800, 230],
          [817, 329],
          [417, 399],
        ],
      },
      {
        text: 'Open daily',
        quad: [
          [200, 660],
          [740, 660],
          [740, 712],
          [200, 712],
        ],
      },
    ]);
    render(TextOverlay, { photoId: 5, width: 1200, height: 900 });
    const overlay = await screen.findByTestId('text-overlay');
    expect(asked).toEqual([5]);
    expect(overlay.getAttribute('viewBox')).toBe('0 0 1200 900');
    const texts = [...overlay.querySelectorAll('text')];
    expect(texts.map((t) => t.textContent)).toEqual(['BAKERY', 'Open daily']);
    // The first line runs up to the right (about -10°) and is stretched over its box's width.
    const group = texts[0]!.parentElement!;
    expect(group.getAttribute('transform')).toMatch(/^translate\(400 300\) rotate\(-9\.\d+\)$/);
    expect(Number(texts[0]!.getAttribute('textLength'))).toBeCloseTo(Math.hypot(400, 70), 3);
    expect(texts[1]!.parentElement!.getAttribute('transform')).toBe('translate(200 660) rotate(0)');
  });

  it('copies every line at once', async () => {
    i18n.locale = 'en';
    bridgeWithText([
      {
        text: 'EXIT',
        quad: [
          [0, 0],
          [10, 0],
          [10, 5],
          [0, 5],
        ],
      },
      {
        text: '출구',
        quad: [
          [0, 10],
          [10, 10],
          [10, 15],
          [0, 15],
        ],
      },
    ]);
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(TextOverlay, { photoId: 1, width: 100, height: 100 });
    await fireEvent.click(await screen.findByRole('button', { name: 'Copy text' }));
    expect(writeText).toHaveBeenCalledWith('EXIT\n출구');
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy();
  });

  it('draws nothing for a photo without text', async () => {
    const asked = bridgeWithText([]);
    render(TextOverlay, { photoId: 9, width: 100, height: 100 });
    await vi.waitFor(() => expect(asked).toEqual([9]));
    expect(screen.queryByTestId('text-overlay')).toBeNull();
    expect(screen.queryByTestId('copy-text')).toBeNull();
  });
});

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuggestionInfo } from '../../../src/common/api/people';
import { i18n } from '../lib/i18n.svelte';
import { review } from '../lib/review.svelte';
import { type RecordedCall, recordingBridge } from '../test-support/recording-bridge';
import ReviewSheet from './ReviewSheet.svelte';

afterEach(async () => {
  review.open = false;
  cleanup();
  delete window.facet;
});

const whoIsThis: SuggestionInfo = {
  kind: 'cluster',
  faceId: 13,
  photoId: 13,
  personId: null,
  personName: null,
  confidence: null,
  settles: 8,
  clusterId: 2,
  faceIds: [13, 16, 15, 12],
  photoIds: [13, 16, 15, 12],
};
const isThisBob: SuggestionInfo = {
  kind: 'face',
  faceId: 40,
  photoId: 31,
  personId: 5,
  personName: 'Bob',
  confidence: 0.4,
  settles: 1,
  clusterId: null,
  faceIds: [40],
  photoIds: [31],
};

/** A bridge answering as the engine would with this queue, recording every call. */
function engineWith(queue: SuggestionInfo[]): RecordedCall[] {
  return recordingBridge((channel) => {
    switch (channel) {
      case 'people.suggestions':
        return queue;
      case 'people.list':
        return [{ id: 5, name: 'Bob', faceCount: 3, coverFaceId: null, hidden: false, cover: null }];
      case 'library.photo':
        return { id: 1, width: 100, height: 100, faces: [] };
      default:
        return { undoId: 1, summary: 'ok', personId: 9 };
    }
  });
}

describe('ReviewSheet', () => {
  it('asks "Who is this?" about a cluster with its faces, names it by typing (T), counts fall, and ← undoes', async () => {
    i18n.locale = 'en';
    const calls = engineWith([whoIsThis, isThisBob]);
    await review.start();
    render(ReviewSheet);

    expect(screen.getByTestId('review-ask').textContent?.trim()).toBe('Who is this?');
    expect(screen.getByTestId('review-members').querySelectorAll('[data-member]')).toHaveLength(3);
    expect(screen.getByText('Naming answers for 8 faces')).toBeTruthy();
    expect(screen.getByTestId('review-left').textContent).toContain('2 questions left');
    expect(screen.getByTestId('review-left-faces').textContent).toContain('9 faces');
    // No guess: Yes and No are not offered, and their keys do nothing.
    expect(screen.queryByText('Yes (Y)')).toBeNull();
    const sheet = screen.getByTestId('review');
    await fireEvent.keyDown(sheet, { key: 'y' });
    expect(screen.getByTestId('review-ask').textContent?.trim()).toBe('Who is this?');

    // One shown face is someone else: clicked away, it is not confirmed with the others.
    await fireEvent.click(sheet.querySelector('[data-member="16"]')!);
    expect(sheet.querySelector('[data-member="16"]')!.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.keyDown(sheet, { key: 't' });
    const field = screen.getByTestId('review-name') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(field));
    await fireEvent.input(field, { target: { value: 'Alice' } });
    await fireEvent.keyDown(field, { key: 'Enter' });

    expect(screen.getByTestId('review-ask').textContent?.trim()).toBe('Is this Bob? 40%');
    expect(screen.getByTestId('review-left').textContent).toContain('1 question left');
    expect(screen.getByTestId('review-left-faces').textContent).toContain('1 face');
    await waitFor(() =>
      expect(calls.find((c) => c.channel === 'people.nameCluster')?.input).toEqual({ faceIds: [13, 15, 12], name: 'Alice' }),
    );

    await fireEvent.keyDown(screen.getByTestId('review'), { key: 'ArrowLeft' });
    expect(screen.getByTestId('review-ask').textContent?.trim()).toBe('Who is this?');
    await waitFor(() => expect(calls.some((c) => c.channel === 'people.undo')).toBe(true));
  });

  it('a face question: Y accepts the guess, a typed name names the face instead', async () => {
    i18n.locale = 'en';
    const calls = engineWith([isThisBob, { ...isThisBob, faceId: 41, faceIds: [41] }]);
    await review.start();
    render(ReviewSheet);
    const sheet = screen.getByTestId('review');
    await fireEvent.keyDown(sheet, { key: 'y' });
    await waitFor(() => expect(calls.find((c) => c.channel === 'people.acceptSuggestions')?.input).toEqual({ faceIds: [40] }));
    await fireEvent.keyDown(screen.getByTestId('review'), { key: 't' });
    const field = screen.getByTestId('review-name') as HTMLInputElement;
    await fireEvent.input(field, { target: { value: 'Carol' } });
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() =>
      expect(calls.find((c) => c.channel === 'people.nameFace')?.input).toEqual({ faceId: 41, name: 'Carol', alone: true }),
    );
  });

  it('H hides the stranger of a cluster question (one undoable edit); a face question has no one to hide', async () => {
    i18n.locale = 'en';
    const calls = engineWith([isThisBob, whoIsThis]);
    await review.start();
    render(ReviewSheet);
    const sheet = screen.getByTestId('review');
    expect(screen.queryByText('Stranger: hide (H)')).toBeNull();
    await fireEvent.keyDown(sheet, { key: 'h' });
    expect(screen.getByTestId('review-ask').textContent?.trim()).toBe('Is this Bob? 40%');
    await fireEvent.keyDown(sheet, { key: 's' });
    expect(screen.getByTestId('review-ask').textContent?.trim()).toBe('Who is this?');
    expect(screen.getByText('Stranger: hide (H)')).toBeTruthy();
    await fireEvent.keyDown(screen.getByTestId('review'), { key: 'h' });
    await waitFor(() => expect(calls.find((c) => c.channel === 'people.hide')?.input).toEqual({ id: 2, hidden: true }));
    expect(screen.getByTestId('review-left').textContent).toContain('0 questions left');
    await fireEvent.keyDown(screen.getByTestId('review'), { key: 'ArrowLeft' });
    await waitFor(() => expect(calls.some((c) => c.channel === 'people.undo')).toBe(true));
    expect(screen.getByTestId('review-ask').textContent?.trim()).toBe('Who is this?');
  });
});

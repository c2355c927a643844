import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SuggestionInfo } from '../../../src/common/api/people';
import SuggestionList from './SuggestionList.svelte';

// Each test renders into a fresh document.
afterEach(cleanup);

const suggestions: SuggestionInfo[] = [
  {
    kind: 'face',
    faceId: 11,
    photoId: 1,
    personId: 5,
    personName: 'Alice',
    confidence: 0.874,
    settles: 1,
    clusterId: null,
    faceIds: [11],
    photoIds: [1],
  },
  {
    kind: 'face',
    faceId: 12,
    photoId: 2,
    personId: 5,
    personName: 'Alice',
    confidence: 0.61,
    settles: 1,
    clusterId: null,
    faceIds: [12],
    photoIds: [2],
  },
];

describe('SuggestionList', () => {
  it('asks "Is this Alice? 87%" for each face', () => {
    render(SuggestionList, { suggestions, name: 'Alice', onAccept: () => {}, onDecline: () => {} });
    expect(screen.getAllByText('Is this Alice? 87%').length).toBeGreaterThan(0);
    expect(screen.getAllByText('Is this Alice? 61%').length).toBeGreaterThan(0);
  });

  it('accepts with Y and declines with N the focused face; ← → move the focus', async () => {
    const onAccept = vi.fn();
    const onDecline = vi.fn();
    render(SuggestionList, { suggestions, name: 'Alice', onAccept, onDecline });
    const [first, second] = screen.getAllByRole('option');
    first!.focus();
    await fireEvent.keyDown(first!, { key: 'y' });
    await fireEvent.keyDown(first!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(second);
    await fireEvent.keyDown(second!, { key: 'n' });
    expect(onAccept.mock.calls).toEqual([[[11]]]);
    expect(onDecline.mock.calls).toEqual([[[12]]]);
  });

  it('accepts or declines all of them at once', async () => {
    const onAccept = vi.fn();
    const onDecline = vi.fn();
    render(SuggestionList, { suggestions, name: 'Alice', onAccept, onDecline });
    await fireEvent.click(screen.getByRole('button', { name: /Accept all/ }));
    await fireEvent.click(screen.getByRole('button', { name: /Decline all/ }));
    expect(onAccept).toHaveBeenCalledWith([11, 12]);
    expect(onDecline).toHaveBeenCalledWith([11, 12]);
  });

  it("without a person (the People page's unassigned section): each face asks about its own guess, S skips, no all-at-once buttons", async () => {
    const mixed: SuggestionInfo[] = [suggestions[0]!, { ...suggestions[1]!, personId: 6, personName: 'Bob', confidence: 0.4 }];
    const onAccept = vi.fn();
    const onDecline = vi.fn();
    const onSkip = vi.fn();
    render(SuggestionList, { suggestions: mixed, title: 'Who might they be?', onAccept, onDecline, onSkip });
    expect(screen.getAllByText('Is this Alice? 87%').length).toBeGreaterThan(0);
    expect(screen.getAllByText('Is this Bob? 40%').length).toBeGreaterThan(0);
    expect(screen.getByRole('heading', { name: 'Who might they be?' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Accept all/ })).toBeNull();
    expect(screen.getByText('Y accept · N decline · S skip · ← → move')).toBeTruthy();
    const [first, second] = screen.getAllByRole('option');
    first!.focus();
    await fireEvent.keyDown(first!, { key: 's' });
    await fireEvent.keyDown(first!, { key: 'ArrowRight' });
    await fireEvent.keyDown(second!, { key: 'y' });
    await fireEvent.click(screen.getAllByRole('button', { name: 'Skip (S)' })[1]!);
    expect(onSkip.mock.calls).toEqual([[11], [12]]);
    expect(onAccept.mock.calls).toEqual([[[12]]]);
    expect(onDecline).not.toHaveBeenCalled();
  });

  it('with a person, S does nothing (a person page has no skip)', async () => {
    const onAccept = vi.fn();
    const onDecline = vi.fn();
    render(SuggestionList, { suggestions, name: 'Alice', onAccept, onDecline });
    const [first] = screen.getAllByRole('option');
    await fireEvent.keyDown(first!, { key: 's' });
    expect(onAccept).not.toHaveBeenCalled();
    expect(onDecline).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Skip (S)' })).toBeNull();
  });
});

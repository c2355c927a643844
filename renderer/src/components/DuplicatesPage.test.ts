import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { DuplicateGroup } from '../../../src/common/api/search';
import { i18n } from '../lib/i18n.svelte';
import { type RecordedCall, recordingBridge } from '../test-support/recording-bridge';
import DuplicatesPage from './DuplicatesPage.svelte';

afterEach(() => {
  cleanup();
  delete window.facet;
});

const member = (photoId: number, match: DuplicateGroup['photos'][number]['match'], similarity: number | null = null) => ({
  photoId,
  photo: `/p/IMG_${photoId}.jpg`,
  width: 4000,
  height: 3000,
  size: 2_000_000,
  sharpness: 1,
  match,
  hashDistance: match === 'keeper' ? null : 3,
  similarity,
});

/** A bridge answering as the engine would with one group: a keeper, an exact copy, a resized copy, a similar scene. */
function withGroups(): RecordedCall[] {
  const groups: DuplicateGroup[] = [
    {
      kind: 'near',
      keeper: 1,
      photos: [member(1, 'keeper'), member(2, 'same-file'), member(3, 'resized'), member(4, 'similar-scene', 0.93)],
    },
  ];
  return recordingBridge((channel) => (channel === 'search.duplicates' ? groups : { remembered: 6 }));
}

describe('DuplicatesPage', () => {
  it('says why each photo matched and ticks only the exact copy for the trash', async () => {
    i18n.locale = 'en';
    withGroups();
    render(DuplicatesPage);
    await screen.findByText('Same file (identical bytes)');
    expect(screen.getByText('Same picture, resized or re-encoded')).toBeTruthy();
    expect(screen.getByText('Similar scene (93% alike)')).toBeTruthy();
    const boxes = screen.getAllByRole('checkbox') as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, false, false]);
    // The group has not been looked at yet (jsdom never shows it): its trash button waits.
    expect((screen.getByRole('button', { name: /Move 1 to Trash/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('remembers "not duplicates" for every photo of the group and drops the group', async () => {
    i18n.locale = 'en';
    const calls = withGroups();
    render(DuplicatesPage);
    await fireEvent.click(await screen.findByRole('button', { name: 'Not duplicates' }));
    await screen.findByText('No duplicates');
    expect(calls.find((c) => c.channel === 'duplicates.notDuplicates')?.input).toEqual({ photoIds: [1, 2, 3, 4] });
  });
});

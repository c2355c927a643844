import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SegmentedControl from './SegmentedControl.svelte';

// Each test renders into a fresh document.
afterEach(cleanup);

const options = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

describe('SegmentedControl', () => {
  it('is a labelled radio group with the current value checked', () => {
    render(SegmentedControl, { label: 'Appearance', value: 'light', options, onChange: () => {} });
    expect(screen.getByRole('radiogroup', { name: 'Appearance' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Light' }).getAttribute('aria-checked')).toBe('true');
    expect(screen.getByRole('radio', { name: 'Dark' }).getAttribute('tabindex')).toBe('-1');
  });

  it('changes with a click and with the arrow keys, wrapping around', async () => {
    const onChange = vi.fn();
    render(SegmentedControl, { label: 'Appearance', value: 'dark', options, onChange });
    await fireEvent.click(screen.getByRole('radio', { name: 'System' }));
    await fireEvent.keyDown(screen.getByRole('radio', { name: 'Dark' }), { key: 'ArrowRight' });
    await fireEvent.keyDown(screen.getByRole('radio', { name: 'Dark' }), { key: 'ArrowLeft' });
    expect(onChange.mock.calls).toEqual([['system'], ['system'], ['light']]);
  });
});

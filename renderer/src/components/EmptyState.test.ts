import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import EmptyState from './EmptyState.svelte';

// Each test renders into a fresh document.
afterEach(cleanup);

describe('EmptyState', () => {
  it('announces its title and text as a status', () => {
    render(EmptyState, { icon: 'photo', title: 'No photos yet', text: 'Add a folder.' });
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('No photos yet');
    expect(status.textContent).toContain('Add a folder.');
  });
});

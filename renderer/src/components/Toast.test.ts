import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toasts } from '../lib/toast.svelte';
import Toast from './Toast.svelte';

afterEach(() => {
  toasts.dismiss();
  cleanup();
});

describe('Toast', () => {
  it('Undo runs the undo it offered and closes the toast', async () => {
    const undo = vi.fn(async () => {});
    render(Toast);
    toasts.show({ message: 'Added 1 face to Alice', undo });
    await fireEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    expect(undo).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('toast')).toBeNull();
  });

  it('another action runs too (it is read before the toast goes)', async () => {
    const run = vi.fn();
    render(Toast);
    toasts.show({ message: 'No face models', action: { label: 'Get face models', run } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Get face models' }));
    expect(run).toHaveBeenCalledTimes(1);
  });
});

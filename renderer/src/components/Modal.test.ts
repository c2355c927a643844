import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../lib/i18n.svelte';
import ConfirmDialog from './ConfirmDialog.svelte';
import ShortcutsSheet from './ShortcutsSheet.svelte';

// Modal.svelte is tested through two of the dialogs built on it: one that may be dismissed with a click
// beside it (the shortcuts) and one that may not (a confirmation).
afterEach(cleanup);
beforeEach(() => {
  i18n.locale = 'en';
});

function confirmDialog(): { onConfirm: ReturnType<typeof vi.fn>; onCancel: ReturnType<typeof vi.fn> } {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  render(ConfirmDialog, {
    title: 'Move 2 photos to the Trash?',
    text: 'They can be restored.',
    confirm: 'Move',
    danger: true,
    onConfirm,
    onCancel,
  });
  return { onConfirm, onCancel };
}

describe('Modal', () => {
  it('is a named, described modal alertdialog whose first focus is the safe button', () => {
    confirmDialog();
    const dialog = screen.getByRole('alertdialog', { name: 'Move 2 photos to the Trash?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.getAttribute('aria-describedby')).toBe('confirm-text');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  });

  it('keeps Tab inside the dialog, both ways', async () => {
    confirmDialog();
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    const move = screen.getByRole('button', { name: 'Move' });
    move.focus();
    await fireEvent.keyDown(move, { key: 'Tab' });
    expect(document.activeElement).toBe(cancel);
    await fireEvent.keyDown(cancel, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(move);
  });

  it('closes on Escape without letting the key reach the page beneath (the viewer also reads Escape)', async () => {
    const { onCancel, onConfirm } = confirmDialog();
    const atWindow = vi.fn();
    window.addEventListener('keydown', atWindow);
    await fireEvent.keyDown(screen.getByRole('button', { name: 'Cancel' }), { key: 'Escape' });
    window.removeEventListener('keydown', atWindow);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
    expect(atWindow).not.toHaveBeenCalled();
  });

  it('ignores a click beside a confirmation, but a sheet that allows it closes', async () => {
    const { onCancel } = confirmDialog();
    await fireEvent.click(screen.getByRole('alertdialog').parentElement!);
    expect(onCancel).not.toHaveBeenCalled();
    cleanup();

    const onClose = vi.fn();
    render(ShortcutsSheet, { onClose });
    const sheet = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await fireEvent.click(sheet); // inside the panel: stays open
    expect(onClose).not.toHaveBeenCalled();
    await fireEvent.click(sheet.parentElement!);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('gives the focus back to what opened it, and passes its own keys on', async () => {
    const opener = document.body.appendChild(document.createElement('button'));
    opener.focus();
    const onClose = vi.fn();
    const { unmount } = render(ShortcutsSheet, { onClose });
    const sheet = screen.getByRole('dialog');
    expect(document.activeElement).toBe(sheet);
    await fireEvent.keyDown(sheet, { key: '?' });
    expect(onClose).toHaveBeenCalledTimes(1);
    unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});

import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../lib/i18n.svelte';
import ShellNotices from './ShellNotices.svelte';

afterEach(cleanup);

describe('ShellNotices', () => {
  it('shows nothing while the worker runs and every folder is watched', () => {
    render(ShellNotices, { worker: { state: 'ready', crashes: 0, message: null }, watcher: [], onRestart: vi.fn(), onDismiss: vi.fn() });
    expect(screen.queryByTestId('shell-notices')).toBeNull();
  });

  it('says the worker stopped after crashing too often and restarts it on request', async () => {
    const onRestart = vi.fn();
    render(ShellNotices, {
      worker: { state: 'crashed', crashes: 3, message: 'exit code 139' },
      watcher: [],
      onRestart,
      onDismiss: vi.fn(),
    });
    expect(screen.getByRole('alert').textContent).toContain('crashed 3 times within a minute');
    await fireEvent.click(screen.getByRole('button', { name: 'Restart it' }));
    expect(onRestart).toHaveBeenCalledOnce();
  });

  it('explains a folder it cannot watch in the user’s language, and lets it be dismissed', async () => {
    i18n.locale = 'ko';
    const problem = { folder: '/photos', code: 'ELOOP', message: 'A symbolic link loop at /photos/x' };
    const onDismiss = vi.fn();
    render(ShellNotices, { worker: null, watcher: [problem], onRestart: vi.fn(), onDismiss });
    expect(screen.getByRole('status').textContent).toContain('/photos 안의 심볼릭 링크');
    await fireEvent.click(screen.getByRole('button', { name: '닫기' }));
    expect(onDismiss).toHaveBeenCalledWith(problem);
    i18n.locale = 'en';
  });

  it('falls back to the main process’s words for an error it has no translation for', () => {
    render(ShellNotices, {
      worker: null,
      watcher: [{ folder: null, code: 'EIO', message: '/photos cannot be watched: EIO' }],
      onRestart: vi.fn(),
      onDismiss: vi.fn(),
    });
    expect(screen.getByRole('status').textContent).toContain('/photos cannot be watched: EIO');
  });
});

import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../lib/i18n.svelte';
import { router } from '../lib/router.svelte';
import Sidebar from './Sidebar.svelte';

// Each test renders into a fresh document.
afterEach(cleanup);

describe('Sidebar', () => {
  it('marks the current screen and navigates by click and by Ctrl+number', async () => {
    i18n.locale = 'en';
    router.go({ name: 'library' });
    render(Sidebar);
    expect(screen.getByRole('button', { name: 'Library' }).getAttribute('aria-current')).toBe('page');
    await fireEvent.click(screen.getByRole('button', { name: 'People' }));
    expect(router.route.name).toBe('people');
    await fireEvent.keyDown(window, { key: '4', ctrlKey: true });
    expect(router.route.name).toBe('places');
    await fireEvent.keyDown(window, { key: '7', ctrlKey: true });
    expect(router.route.name).toBe('settings');
  });

  it('speaks Korean when the language changes', async () => {
    i18n.locale = 'ko';
    render(Sidebar);
    expect(screen.getByRole('button', { name: '보관함' })).toBeTruthy();
    i18n.locale = 'en';
  });
});

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../lib/i18n.svelte';
import { recordingBridge } from '../test-support/recording-bridge';
import SettingsPage from './SettingsPage.svelte';

/** A stand-in bridge whose library keeps the "read text" setting as the engine's settings table would. */
function fakeBridge(initiallyOn: boolean, status: unknown = null) {
  let enabled = initiallyOn;
  const calls = recordingBridge((channel, input) => {
    if (channel === 'text.reading') return { enabled };
    if (channel === 'text.setReading') return { enabled: (enabled = (input as { enabled: boolean }).enabled) };
    if (channel === 'library.status') return status;
    return []; // folders.list, models.list
  });
  return { calls, enabled: () => enabled };
}

afterEach(() => {
  cleanup();
  delete window.facet;
  i18n.locale = 'en';
});

describe('SettingsPage: reading text in photos', () => {
  it('shows the library’s setting and turns it off and on again through the engine', async () => {
    const bridge = fakeBridge(true);
    render(SettingsPage);
    const group = await screen.findByRole('radiogroup', { name: 'Read text in photos' });
    const on = screen.getByRole('radio', { name: 'On' });
    const off = screen.getByRole('radio', { name: 'Off' });
    await waitFor(() => expect(on.getAttribute('aria-checked')).toBe('true'));
    expect(group).toBeTruthy();
    await fireEvent.click(off);
    await waitFor(() => expect(off.getAttribute('aria-checked')).toBe('true'));
    expect(bridge.calls).toContainEqual({ channel: 'text.setReading', input: { enabled: false } });
    expect(bridge.enabled()).toBe(false);
    await fireEvent.click(on);
    await waitFor(() => expect(bridge.enabled()).toBe(true));
  });

  it('shows a library where it was turned off as off, in Korean too', async () => {
    fakeBridge(false);
    i18n.locale = 'ko';
    render(SettingsPage);
    await screen.findByRole('radiogroup', { name: '사진 속 글자 읽기' });
    await waitFor(() => expect(screen.getByRole('radio', { name: '끄기' }).getAttribute('aria-checked')).toBe('true'));
  });
});

describe('SettingsPage: worker threads that did not start', () => {
  const status = (textFailed: string | null, heicFailed: string | null, faceFailed: string | null = null) => ({
    executionProvider: 'cpu',
    device: 'auto',
    inferenceWorkers: { face: { size: 2, failed: faceFailed }, text: { size: 2, failed: textFailed } },
    heicDecoder: { decoder: 'wasm', reason: null, workersFailed: heicFailed },
  });

  it('says why text and HEIC photos are handled on one core, in English and Korean', async () => {
    fakeBridge(
      true,
      status("Cannot find module '/opt/Facet/resources/app.asar.unpacked/node_modules/onnxruntime-node/dist/index.js'", 'no threads'),
    );
    render(SettingsPage);
    expect(await screen.findByText(/Text in photos is read on one core.*app\.asar\.unpacked/)).toBeTruthy();
    expect(screen.getByText(/HEIC photos are decoded on one core.*\(no threads\)/)).toBeTruthy();
    cleanup();
    i18n.locale = 'ko';
    render(SettingsPage);
    expect(await screen.findByText(/사진 속 글자를 코어 하나로 읽어/)).toBeTruthy();
  });

  it('says why faces are found on one core when their workers did not start', async () => {
    fakeBridge(true, status(null, null, 'no threads for faces'));
    render(SettingsPage);
    expect(await screen.findByText(/Faces are found on one core.*\(no threads for faces\)/)).toBeTruthy();
    expect(screen.queryByText(/Text in photos is read on one core/)).toBeNull();
  });

  it('says nothing when the workers run', async () => {
    fakeBridge(true, status(null, null));
    render(SettingsPage);
    await screen.findByText('In use: cpu');
    // The page's models store outlives a render: wait for this library's status to replace an earlier one.
    await waitFor(() => expect(screen.queryAllByText(/on one core/)).toEqual([]));
  });
});

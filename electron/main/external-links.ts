import { type BrowserWindow, dialog, shell } from 'electron';

/**
 * Links leave the app only to the system browser, only for http(s), and only after the user says so:
 * a photo's caption or a model card could carry a link the user never meant to follow.
 */
export async function confirmAndOpenExternal(window: BrowserWindow | null, url: string): Promise<boolean> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your web browser?',
    detail: parsed.href,
  };
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  if (response !== 0) return false;
  await shell.openExternal(parsed.href);
  return true;
}

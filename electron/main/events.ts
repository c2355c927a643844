import type { BrowserWindow } from 'electron';
import type { ApiEvents, EventName } from '../../src/common/api/events';

/** The single IPC name on which every pushed engine event reaches the preload. */
export const EVENT_IPC = 'facet:event';

export function eventSender(window: () => BrowserWindow | null) {
  return <E extends EventName>(name: E, payload: ApiEvents[E]): void => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_IPC, name, payload);
  };
}

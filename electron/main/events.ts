import type { BrowserWindow } from 'electron';
import type { ApiEvents, EventName } from '../../src/common/api/events';
import { EVENT_IPC } from '../../src/common/api/ipc-names';

export function eventSender(window: () => BrowserWindow | null) {
  return <E extends EventName>(name: E, payload: ApiEvents[E]): void => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_IPC, name, payload);
  };
}

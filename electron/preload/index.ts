/**
 * The renderer's only door to the app: `window.facet.call(channel, input)` and
 * `window.facet.on(event, callback)`. Channel and event names are checked against the contract here
 * too, so the renderer cannot reach any other IPC name, and ipcRenderer itself is never exposed.
 * Bundled as one CommonJS file because sandboxed preloads cannot load modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { isChannelName } from '../../src/common/api';
import { EVENT_NAMES } from '../../src/common/api/events';
import type { FacetBridge } from '../../src/common/api/bridge';
import { EVENT_IPC, ipcName } from '../../src/common/api/ipc-names';

const bridge: FacetBridge = {
  call(channel, input) {
    if (!isChannelName(channel))
      return Promise.resolve({
        ok: false,
        error: { code: 'invalid_argument', message: `Unknown API channel: ${String(channel).slice(0, 80)}` },
      });
    return ipcRenderer.invoke(ipcName(channel), input);
  },
  on(event, callback) {
    if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event: ${String(event)}`);
    const listener = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) callback(payload as never);
    };
    ipcRenderer.on(EVENT_IPC, listener);
    return () => ipcRenderer.removeListener(EVENT_IPC, listener);
  },
};

contextBridge.exposeInMainWorld('facet', bridge);

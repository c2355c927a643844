/**
 * The Electron IPC names, written once for main and preload: one per API channel, in a namespace of
 * its own so nothing else on ipcMain can collide with it, and one on which every pushed event travels.
 */
export const ipcName = (channel: string): string => `facet:${channel}`;

export const EVENT_IPC = 'facet:event';

import type { EngineContext } from '../context';

/**
 * The library's own "read text in photos" switch (the app's Settings), in its settings table so every
 * front end on the library honours it: the app's worker, and `facet index` from a terminal.
 */
export const READ_TEXT_SETTING = 'read-text';

/** Whether text is read: on unless this run said `--no-text` (EngineOptions.readText) or the library turned it off. */
export function readsText(ctx: Pick<EngineContext, 'readText' | 'library'>): boolean {
  return ctx.readText !== false && ctx.library.getSetting(READ_TEXT_SETTING) !== 'off';
}

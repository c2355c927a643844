import type { EngineContext } from '../context';
import { currentOcrModelId } from '../ml/ocr-models';

/**
 * The library's own "read text in photos" switch (the app's Settings), in its settings table so every
 * front end on the library honours it: the app's worker, and `facet index` from a terminal.
 */
export const READ_TEXT_SETTING = 'read-text';

/** Whether text is read: on unless this run said `--no-text` (EngineOptions.readText) or the library turned it off. */
export function readsText(ctx: Pick<EngineContext, 'readText' | 'library'>): boolean {
  return ctx.readText !== false && ctx.library.getSetting(READ_TEXT_SETTING) !== 'off';
}

/**
 * The text models' id when text is read (null when it is off, or the manifest has no text models): what
 * decides whether a text job follows an index run, whether that run keeps check images, and the counts.
 */
export function textModelInUse(ctx: Pick<EngineContext, 'readText' | 'library' | 'models'>): string | null {
  return readsText(ctx) ? currentOcrModelId(ctx.models) : null;
}

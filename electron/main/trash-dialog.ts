import type { MessageBoxOptions } from 'electron';
import { type Language, say } from './messages';

/** How many paths the confirmation lists; the rest are counted. */
const LISTED = 5;

/**
 * The native confirmation before photos go to the system trash. It is shown by the main process for
 * every `app.trashPhotos` call (the renderer cannot skip it), in the user's language, with the count.
 */
export function trashConfirmDialog(paths: readonly string[], language: Language): MessageBoxOptions {
  const count = paths.length;
  const listed = paths.slice(0, LISTED).join('\n');
  const more = count > LISTED ? `\n${say(language, 'trash.more', { count: count - LISTED })}` : '';
  return {
    type: 'warning',
    buttons: [say(language, 'trash.move', { count }), say(language, 'trash.cancel')],
    defaultId: 1,
    cancelId: 1,
    message: count === 1 ? say(language, 'trash.one') : say(language, 'trash.many', { count }),
    detail: `${listed}${more}\n\n${say(language, 'trash.restore')}`,
  };
}

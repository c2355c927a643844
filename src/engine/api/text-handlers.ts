import type { ChannelName } from '../../common/api';
import type { textChannels } from '../../common/api/text';
import type { HandlerMap } from '../api/dispatch';
import { removeTextCheckImages } from '../imaging/text-check-image';
import { enqueueBackfills } from '../jobs/follow-ups';
import { READ_TEXT_SETTING, readsText } from '../jobs/text-setting';
import { photoText } from '../search/photo-text';

type TextChannel = keyof typeof textChannels & ChannelName;

export const textHandlers: HandlerMap<TextChannel> = {
  'text.photo': (ctx, input) => photoText(ctx.library, input.photoId),
  'text.reading': (ctx) => ({ enabled: readsText(ctx) }),
  'text.setReading': async (ctx, { enabled }) => {
    ctx.library.setSetting(READ_TEXT_SETTING, enabled ? 'on' : 'off');
    // On again: the photos not read yet are queued now, not at the next index run (their checks decode
    // the originals). Off: the check images kept for the text job go; index runs now write none.
    if (enabled) enqueueBackfills(ctx);
    else await removeTextCheckImages(ctx.library.paths.thumbnails);
    return { enabled: readsText(ctx) };
  },
};

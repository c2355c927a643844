import type { ChannelName } from '../../common/api';
import type { textChannels } from '../../common/api/text';
import type { HandlerMap } from '../api/dispatch';
import { photoText } from '../search/photo-text';

type TextChannel = keyof typeof textChannels & ChannelName;

export const textHandlers: HandlerMap<TextChannel> = {
  'text.photo': (ctx, input) => photoText(ctx.library, input.photoId),
};

import type { ChannelName } from '../../common/api';
import type { organizerChannels } from '../../common/api/organizer';
import type { HandlerMap } from './dispatch';
import { OrganizerStore } from '../library/organizer-store';
import { listPhotos, monthCounts } from '../library/queries';

type OrganizerChannel = keyof typeof organizerChannels & ChannelName;

/** One line per channel over the organizer store; the grid hears of favourites through `library.changed`. */
export const organizerHandlers: HandlerMap<OrganizerChannel> = {
  'favourites.set': (ctx, input) => ({ changed: new OrganizerStore(ctx.library.db).setFavourite(input.photoIds, input.favourite) }),
  'albums.photos': (ctx, input) =>
    listPhotos(
      ctx.library.db,
      input.offset,
      input.limit,
      'albumId' in input ? { albumId: new OrganizerStore(ctx.library.db).album(input.albumId).id } : { favourites: true },
    ),
  'library.months': (ctx, input) => monthCounts(ctx.library.db, input),
  'albums.list': (ctx) => new OrganizerStore(ctx.library.db).albums(),
  'albums.create': (ctx, input) => new OrganizerStore(ctx.library.db).createAlbum(input.name, input.photoIds),
  'albums.rename': (ctx, input) => new OrganizerStore(ctx.library.db).renameAlbum(input.id, input.name),
  'albums.delete': (ctx, input) => ({ deleted: new OrganizerStore(ctx.library.db).deleteAlbum(input.id) }),
  'albums.add': (ctx, input) => ({ added: new OrganizerStore(ctx.library.db).addToAlbum(input.id, input.photoIds) }),
  'albums.remove': (ctx, input) => ({ removed: new OrganizerStore(ctx.library.db).removeFromAlbum(input.id, input.photoIds) }),
  'duplicates.notDuplicates': (ctx, input) => ({ remembered: new OrganizerStore(ctx.library.db).markNotDuplicates(input.photoIds) }),
};

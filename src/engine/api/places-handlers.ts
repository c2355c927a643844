import type { ChannelName } from '../../common/api';
import type { placesChannels } from '../../common/api/places';
import { listPlaces } from '../places/list-places';
import type { HandlerMap } from './dispatch';

type PlacesChannel = keyof typeof placesChannels & ChannelName;

export const placesHandlers: HandlerMap<PlacesChannel> = {
  'places.list': (ctx) => listPlaces(ctx.library.db),
};

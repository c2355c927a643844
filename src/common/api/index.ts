import type { ChannelInput, ChannelOutput, RunsIn } from './channel';
import { appChannels } from './app';
import { jobsChannels } from './jobs';
import { libraryChannels } from './library';
import { modelsChannels } from './models';
import { organizerChannels } from './organizer';
import { peopleChannels } from './people';
import { placesChannels } from './places';
import { searchChannels } from './search';
import { textChannels } from './text';

/**
 * The one API contract. Main (IPC), preload, renderer, CLI and the e2e binding all use these names,
 * input schemas and output types. Channel names are `domain.verb`.
 */
export const apiChannels = {
  ...libraryChannels,
  ...peopleChannels,
  ...searchChannels,
  ...placesChannels,
  ...modelsChannels,
  ...appChannels,
  ...textChannels,
  ...organizerChannels,
  ...jobsChannels,
} as const;

export type ApiChannels = typeof apiChannels;
export type ChannelName = keyof ApiChannels;
export type InputOf<N extends ChannelName> = ChannelInput<ApiChannels[N]>;
export type OutputOf<N extends ChannelName> = ChannelOutput<ApiChannels[N]>;

export const CHANNEL_NAMES = Object.keys(apiChannels) as ChannelName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(apiChannels, name);
}

/** The channels the app serves in the given process (see `RunsIn`). */
export function channelsRunningIn(runsIn: RunsIn): ChannelName[] {
  return CHANNEL_NAMES.filter((name) => apiChannels[name].runsIn === runsIn);
}

export * from './channel';
export * from './ids';
export type * from './library';

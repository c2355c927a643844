import type { ChannelName } from '../../common/api';
import type { jobsChannels } from '../../common/api/jobs';
import type { HandlerMap } from './dispatch';

type JobsChannel = keyof typeof jobsChannels & ChannelName;

/** The jobs.* channels, one line each over the engine's JobRunner. */
export const jobsHandlers: HandlerMap<JobsChannel> = {
  'jobs.list': (ctx, input) => ctx.jobs.list(input.limit),
  'jobs.pause': (ctx, input) => ctx.jobs.pause(input.id),
  'jobs.resume': (ctx, input) => ctx.jobs.resume(input.id),
  'jobs.cancel': (ctx, input) => ctx.jobs.cancel(input.id),
};

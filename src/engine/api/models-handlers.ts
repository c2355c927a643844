import type { ChannelName } from '../../common/api';
import type { modelsChannels } from '../../common/api/models';
import type { HandlerMap } from './dispatch';
import type { EngineContext } from '../context';
import { enqueueBackfills } from '../jobs/follow-ups';
import { addClipExport } from '../ml/clip/add-clip-export';
import { PREFERRED_CLIP_SETTING } from '../search/clip-loader';

type ModelsChannel = keyof typeof modelsChannels & ChannelName;

/** Progress events at most this often: a 350 MB download would otherwise send thousands over IPC. */
const PROGRESS_INTERVAL_MS = 100;

async function downloadWithEvents(ctx: EngineContext, id: string): Promise<void> {
  let lastEmit = 0;
  await ctx.models.download(id, {
    onProgress: (receivedBytes, totalBytes) => {
      const now = Date.now();
      if (now - lastEmit < PROGRESS_INTERVAL_MS && receivedBytes !== totalBytes) return;
      lastEmit = now;
      ctx.emit('models.downloadProgress', { modelId: id, receivedBytes, totalBytes });
    },
  });
  installed(ctx, id);
}

/**
 * A model arrived: a CLIP model becomes the one search moves to once it covers the library, and the
 * photos it (or a face model) has not analysed yet are queued for backfill.
 */
function installed(ctx: EngineContext, id: string): void {
  if (ctx.models.entry(id).task === 'clip') ctx.library.setSetting(PREFERRED_CLIP_SETTING, id);
  enqueueBackfills(ctx);
  ctx.emit('library.changed', { reason: 'models' });
}

/** The models.* channels, one line each over ModelManager. */
export const modelsHandlers: HandlerMap<ModelsChannel> = {
  'models.list': (ctx) => ctx.models.list(),
  'models.download': async (ctx, { id }) => {
    await downloadWithEvents(ctx, id);
    return ctx.models.status(id);
  },
  'models.downloadDefaults': async (ctx) => {
    const ids = ctx.models.defaultIds();
    for (const id of ids) await downloadWithEvents(ctx, id);
    return ids.map((id) => ctx.models.status(id));
  },
  'models.add': async (ctx, { folder, id }) => {
    const entry = await addClipExport(ctx.models, folder, id);
    installed(ctx, entry.id);
    return ctx.models.status(entry.id);
  },
  'models.remove': async (ctx, { id }) => {
    const removed = await ctx.models.remove(id);
    if (removed) ctx.emit('library.changed', { reason: 'models' });
    return { removed };
  },
  'models.verify': (ctx, { id }) => ctx.models.verify(id),
};

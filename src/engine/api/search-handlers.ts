import type { ChannelName } from '../../common/api';
import { searchChannels } from '../../common/api/search';
import type { HandlerMap } from './dispatch';
import type { EngineContext } from '../context';
import { activeImageModel } from '../search/active-model';
import { findDuplicates } from '../search/duplicates';
import { similarPhotos } from '../search/similar';
import { conceptPhotos, listTags, removeConcept, saveUserConcept } from '../search/tags';
import { queuedJob } from './queued-job';
import { interpretText, searchPhotos } from '../search/text-search';
import { OrganizerStore } from '../library/organizer-store';
import { withoutNotDuplicates } from '../search/not-duplicates';

type SearchChannel = keyof typeof searchChannels & ChannelName;

const clipOf = (ctx: EngineContext) => ctx.clip.search(ctx.library);
/** Channels that only read stored vectors work without the model files (e.g. after a model removal). */
const storedModel = (ctx: EngineContext) => activeImageModel(ctx.library.db);

/** One line per channel: the work lives in the search modules. */
export const searchHandlers: HandlerMap<SearchChannel> = {
  'search.query': (ctx, input) => searchPhotos(ctx.library, () => clipOf(ctx), input),
  'search.interpret': (ctx, input) => interpretText(ctx.library.db, input.text, input.today),
  'search.similar': (ctx, input) =>
    similarPhotos(ctx.library, storedModel(ctx) ?? '', input.photoId, {
      limit: input.limit,
      ...(input.minScore !== undefined ? { minScore: input.minScore } : {}),
    }),
  'search.tags': (ctx) => listTags(ctx.library, storedModel(ctx) ?? ''),
  'search.duplicates': async (ctx, input) =>
    withoutNotDuplicates(
      await findDuplicates(ctx.library, { modelId: input.useEmbeddings ? (storedModel(ctx) ?? null) : null }),
      new OrganizerStore(ctx.library.db).notDuplicatePairs(),
    ),
  'search.addConcept': async (ctx, input) => {
    const clip = await clipOf(ctx);
    const saved = saveUserConcept(ctx.library, clip, input.name, input.prompt);
    ctx.emit('library.changed', { reason: 'tags' }); // the tag is listed at once; its photos follow
    const { jobId, pending } = await queuedJob(ctx, 'tag-concept', saved);
    return { ...saved, photos: conceptPhotos(ctx.library, saved.name, clip.modelId), jobId, pending };
  },
  'search.removeConcept': (ctx, input) => removeConcept(ctx.library, input.name),
};

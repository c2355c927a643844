import type { PeopleChannel, XmpExportResult } from '../../common/api/people';
import { FacetError, isFacetError } from '../../common/errors';
import type { WriterLock } from '../library/writer-lock';
import type { HandlerMap } from './dispatch';
import type { EngineContext } from '../context';
import { mergeManyPeople, mergePeople, moveFaces, rejectFaces, splitPerson } from '../people/corrections';
import { runIncrementalClustering } from '../people/incremental-clustering';
import { resetLearning } from '../people/library-adapter';
import { nameCluster, nameFace, namePerson } from '../people/naming';
import { getPerson, listPeople, listSuggestions, personFaces } from '../people/people-queries';
import { setBirthDate, setCover, setHidden } from '../people/person-settings';
import { acceptSuggestions, rejectSuggestions } from '../people/suggestion-review';
import { undoLastEdit } from '../people/undo-log';
import { queuedJob } from './queued-job';

/** Edits in a row within this time become one re-suggest run. */
export const RESUGGEST_DEBOUNCE_MS = 1500;
/** How long an `orQueue` re-cluster waits for the writer lock: another process's re-suggest is this short. */
const QUEUE_INSTEAD_AFTER_MS = 200;

/**
 * An edit is plain SQL, in whatever process received it. Faces it set free are decided again and
 * suggestions follow the new names in a debounced re-suggest job, run by the one process that runs
 * jobs (the app's worker; the CLI's own foreground), under the writer lock: never two writers of the
 * neighbour graph.
 */
function afterEdit<T>(ctx: EngineContext, result: T): T {
  ctx.jobs.enqueue('resuggest', {}, { delayMs: RESUGGEST_DEBOUNCE_MS });
  ctx.emit('library.changed', { reason: 'people' });
  return result;
}

export const peopleHandlers: HandlerMap<PeopleChannel> = {
  'people.list': (ctx, input) => listPeople(ctx.library.db, input),
  'people.get': (ctx, input) => getPerson(ctx.library.db, input.id),
  'people.faces': (ctx, input) => personFaces(ctx.library.db, input.id, input.offset, input.limit),
  'people.suggestions': (ctx, input) => listSuggestions(ctx.library.db, input),
  'people.name': (ctx, input) => afterEdit(ctx, namePerson(ctx.library, input.id, input.name)),
  'people.nameFace': (ctx, input) => afterEdit(ctx, nameFace(ctx.library, input.faceId, input.name, { alone: input.alone })),
  'people.nameCluster': (ctx, input) => afterEdit(ctx, nameCluster(ctx.library, input.faceIds, input.name)),
  'people.merge': (ctx, input) => afterEdit(ctx, mergePeople(ctx.library, input.id, input.into)),
  'people.mergeMany': (ctx, input) => afterEdit(ctx, mergeManyPeople(ctx.library, input.ids, input.into)),
  'people.move': (ctx, input) => afterEdit(ctx, moveFaces(ctx.library, input.faceIds, input.to)),
  'people.reject': (ctx, input) => afterEdit(ctx, rejectFaces(ctx.library, input.faceIds)),
  'people.split': (ctx, input) => afterEdit(ctx, splitPerson(ctx.library, input.id, input.faceIds)),
  'people.hide': (ctx, input) => afterEdit(ctx, setHidden(ctx.library, input.id, input.hidden)),
  'people.setCover': (ctx, input) => afterEdit(ctx, setCover(ctx.library, input.id, input.faceId)),
  'people.setBirthDate': (ctx, input) => afterEdit(ctx, setBirthDate(ctx.library, input.id, input.birthDate)),
  'people.acceptSuggestions': (ctx, input) => afterEdit(ctx, acceptSuggestions(ctx.library, input.faceIds)),
  'people.rejectSuggestions': (ctx, input) => afterEdit(ctx, rejectSuggestions(ctx.library, input.faceIds)),
  'people.undo': (ctx) => afterEdit(ctx, { undone: undoLastEdit(ctx.library.db) }),
  'people.exportXmp': async (ctx) => {
    const { jobId, pending, result } = await queuedJob<XmpExportResult>(ctx, 'export-xmp', {});
    // Undefined result: another process ran the job; its count is in the queue, its skipped list is not.
    return { ...(result ?? { written: pending ? 0 : ctx.jobs.get(jobId).done, skipped: [] }), jobId, pending };
  },
  'people.recluster': async (ctx, input) => {
    if (input.orQueue && (input.full || input.resetLearning))
      throw new FacetError('invalid_argument', 'Only the incremental re-cluster can be left to the queue.');
    // Clustering writes the neighbour graph: only ever under the writer lock, like every job.
    let lock: WriterLock;
    try {
      lock = await ctx.library.acquireWriterLock(input.orQueue ? QUEUE_INSTEAD_AFTER_MS : undefined);
    } catch (error) {
      // WHY: the app asks for this refresh after every people edit, and a job (an index run, the text
      // backfill) holds the writer lock for its whole run, often longer than any wait. Waiting turned a
      // saved name into a "library is busy" error toast. The edit is already saved and queued the
      // debounced re-suggest job (afterEdit), which does this same clustering once the lock is free.
      if (!input.orQueue || !isFacetError(error) || error.code !== 'library_busy') throw error;
      ctx.jobs.enqueue('resuggest', {}, { delayMs: RESUGGEST_DEBOUNCE_MS });
      return { considered: 0, assigned: 0, newPeople: 0, suggestions: 0, seconds: 0, learned: null, queued: true };
    }
    try {
      if (input.resetLearning) resetLearning(ctx.library);
      const { considered, assigned, newPeople, suggestions, seconds, learned } = runIncrementalClustering(ctx.library, {
        full: input.full || input.resetLearning,
      });
      ctx.emit('library.changed', { reason: 'people' });
      return { considered, assigned, newPeople, suggestions, seconds, learned, queued: false };
    } finally {
      lock.release();
    }
  },
};

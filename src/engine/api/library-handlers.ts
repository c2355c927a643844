import fs from 'node:fs';
import path from 'node:path';
import type { ChannelName } from '../../common/api';
import { libraryChannels } from '../../common/api/library';
import { FacetError } from '../../common/errors';
import type { HandlerMap } from './dispatch';
import { clipCoverageReport } from './clip-coverage';
import { countStatuses, listFaces, listFiles, listFolders, listPhotos, photoDetail } from '../library/queries';
import { PhotoStore } from '../library/photo-store';
import { heicDecoderInUse } from '../imaging/heic-decoder';
import { heicWorkersFailure } from '../imaging/hevc-heic';

type LibraryChannel = keyof typeof libraryChannels & ChannelName;

/** One line per channel: the work lives in queries.ts and the indexing controller. */
export const libraryHandlers: HandlerMap<LibraryChannel> = {
  'library.status': (ctx) => ({
    library: ctx.library.paths.root,
    schemaVersion: ctx.library.schemaVersion,
    counts: countStatuses(ctx.library.db),
    models: ctx.models.list().map((m) => ({ id: m.id, task: m.task, installed: m.installed })),
    executionProvider: ctx.sessions.provider,
    fallbackReason: ctx.sessions.fallbackReason,
    modelsLoaded: ctx.sessions.loaded,
    device: ctx.device,
    heicDecoder: { ...heicDecoderInUse(), workersFailed: heicWorkersFailure() },
    inferenceWorkers: ctx.sessions.workerThreads,
    clipCoverage: clipCoverageReport(ctx),
    jobs: ctx.jobs.list(20),
  }),
  'library.files': (ctx, input) => listFiles(ctx.library.db, input),
  'library.photos': (ctx, input) => listPhotos(ctx.library.db, input.offset, input.limit),
  'library.photo': (ctx, input) => photoDetail(ctx.library.db, input.id),
  'library.faces': (ctx, input) => listFaces(ctx.library.db, input),
  'folders.list': (ctx) => listFolders(ctx.library.db),
  'folders.add': (ctx, input) => {
    const root = path.resolve(input.path);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new FacetError('not_found', `Not a folder: ${root}`);
    new PhotoStore(ctx.library.db).ensureFolder(root);
    ctx.emit('library.changed', { reason: 'folders' });
    return listFolders(ctx.library.db).find((f) => f.path === root)!;
  },
  'folders.remove': (ctx, input) => {
    const removed = new PhotoStore(ctx.library.db).removeFolder(input.id);
    if (!removed) throw new FacetError('not_found', `No folder with id ${input.id}.`);
    ctx.emit('library.changed', { reason: 'folders' });
    return { removed };
  },
  'index.start': (ctx, input) => {
    const folders = listFolders(ctx.library.db).filter((f) => !input.folderIds || input.folderIds.includes(f.id));
    if (folders.length === 0) throw new FacetError('invalid_argument', 'No folders to index: add a folder first.');
    if (ctx.indexer.isRunning) throw new FacetError('conflict', 'Indexing is already running.');
    // A job, not a call: it survives quitting, and runs in the process that runs jobs (the app's worker).
    ctx.jobs.enqueue('index', { folders: folders.map((f) => f.path) });
    if (!ctx.jobs.started) ctx.jobs.start();
    return { started: true };
  },
  'index.pause': (ctx) => (ctx.indexer.pause(), { paused: true }),
  'index.resume': (ctx) => (ctx.indexer.resume(), { paused: false }),
  'index.progress': (ctx) => ctx.indexer.snapshot,
};

import fs from 'node:fs';
import path from 'node:path';
import type { ChannelName } from '../../common/api';
import { libraryChannels } from '../../common/api/library';
import { FacetError } from '../../common/errors';
import type { HandlerMap } from './dispatch';
import { runIndex } from '../jobs/run-index';
import { lastProvider } from '../ml/runtime/session';
import { countStatuses, listFaces, listFiles, listFolders, listPhotos, photoDetail } from '../library/queries';
import { PhotoStore } from '../library/photo-store';
import { heicDecoderInUse } from '../imaging/heic-decoder';

type LibraryChannel = keyof typeof libraryChannels & ChannelName;

/** One line per channel: the work lives in queries.ts and the indexing controller. */
export const libraryHandlers: HandlerMap<LibraryChannel> = {
  'library.status': (ctx) => ({
    library: ctx.library.paths.root,
    schemaVersion: ctx.library.schemaVersion,
    counts: countStatuses(ctx.library.db),
    models: ctx.models.list().map((m) => ({ id: m.id, task: m.task, installed: m.installed })),
    executionProvider: lastProvider(),
    device: ctx.device,
    heicDecoder: heicDecoderInUse(),
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
  'index.start': async (ctx, input) => {
    const folders = listFolders(ctx.library.db).filter((f) => !input.folderIds || input.folderIds.includes(f.id));
    if (folders.length === 0) throw new FacetError('invalid_argument', 'No folders to index: add a folder first.');
    if (ctx.indexer.isRunning) throw new FacetError('conflict', 'Indexing is already running.');
    // Registered synchronously (a second start gets "already running"), not awaited: progress arrives
    // as events and a failure is kept in the controller's lastError.
    runIndex(ctx, folders.map((f) => f.path)).catch((error: unknown) => ctx.indexer.recordError(error));
    // A missing or corrupt model is told to the caller now (the run stops with the same error).
    await ctx.faceModels();
    return { started: true };
  },
  'index.pause': (ctx) => (ctx.indexer.pause(), { paused: true }),
  'index.resume': (ctx) => (ctx.indexer.resume(), { paused: false }),
  'index.progress': (ctx) => ctx.indexer.snapshot,
};

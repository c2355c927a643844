import type { RgbImage } from '../imaging/rgb-image';
import type { AnalyzerWrite, PhotoAnalyzer } from './analyzer';
import type { Db } from '../library/database';
import type { Library } from '../library/library';
import type { VectorTable } from '../library/vector-tables';
import type { ClipModel } from '../ml/clip/clip-model';
import { ImageBatcher } from '../ml/clip/image-batcher';
import { imageVectorTable, markEmbedded, photosWithoutEmbedding, writeImageVector } from '../library/image-vectors';
import { replacePhotoTags } from '../library/tag-store';
import { ConceptTagger, type TagResult } from './tagger';
import { allConcepts } from './vocabulary';

/**
 * The CLIP stage of indexing. `analyze` embeds the decode the pipeline already has and scores it
 * against the concept vocabulary, outside any transaction; the returned write runs inside the
 * photo's own transaction. The concept text embeddings are computed once per analyzer.
 */
export function createClipAnalyzer(
  library: Library,
  model: ClipModel,
  modelId: string = model.modelId,
  options: ClipStageOptions = {},
): PhotoAnalyzer {
  // The photos in flight share encoder runs (image-batcher.ts): a quarter less CPU per photo in fours.
  const batcher = new ImageBatcher((images) => model.embedImages(images));
  const embed = async (images: RgbImage[]) => Promise.all(images.map((image) => batcher.embed(image)));
  const stage = clipStage(library, model, modelId, embed, options);
  return {
    name: 'clip',
    async analyze({ photoId, decoded }) {
      return (await stage([{ photoId, image: decoded.image }]))[0]!.write;
    },
  };
}

export interface ClipStageOptions {
  /** After a failed concept-tagger setup, the least time before a later photo tries it again. */
  taggerRetryMs?: number;
  /** Where a failed tagger setup is reported; console.warn by default. */
  log?: (message: string) => void;
}

/**
 * Embeds and tags a batch of photos in one session run; returns one write per photo.
 *
 * WHY the tagger is optional per batch: its setup (a few hundred text-encoder runs) can fail for a
 * passing reason (memory pressure). Cached, that rejection failed every later CLIP photo of the session;
 * now it is retried on a later photo, at most once per `taggerRetryMs`, and until it works the photos get
 * their vector without tags and without the photo_embeddings mark, so search finds them at once and
 * the next backfill (which resumes from that mark) embeds and tags them.
 */
function clipStage(
  library: Library,
  model: ClipModel,
  modelId: string,
  embedImages: (images: RgbImage[]) => Promise<Float32Array[]> = (images) => model.embedImages(images),
  options: ClipStageOptions = {},
): (photos: { photoId: number; image: RgbImage }[]) => Promise<StagedPhoto[]> {
  const table = imageVectorTable(library.db, modelId, model.dimensions);
  const retryMs = options.taggerRetryMs ?? 30_000;
  const log = options.log ?? ((message: string) => console.warn(message));
  let tagger: Promise<ConceptTagger> | null = null;
  let failedAt = -Infinity;
  const readyTagger = async (): Promise<ConceptTagger | null> => {
    if (!tagger && Date.now() - failedAt < retryMs) return null;
    const attempt = (tagger ??= ConceptTagger.create(model, allConcepts(library.db)));
    try {
      return await attempt;
    } catch (error) {
      if (tagger === attempt) {
        tagger = null; // the photos sharing this attempt report it once; a later photo tries again
        failedAt = Date.now();
        log(`[facet] CLIP concept tagger setup failed (photos are embedded without tags until it works): ${String(error)}`);
      }
      return null;
    }
  };
  return async (photos) => {
    const taggerReady = readyTagger();
    const vectors = await embedImages(photos.map((p) => p.image));
    const ready = await taggerReady;
    return photos.map((p, i) =>
      ready
        ? { write: clipWrite(table, modelId, p.photoId, vectors[i]!, ready.tag(vectors[i]!)), tagged: true }
        : { write: vectorOnlyWrite(table, p.photoId, vectors[i]!), tagged: false },
    );
  };
}

/** A photo's write, and whether it is complete (tagged and marked) or only its vector (tagger down). */
interface StagedPhoto {
  write: AnalyzerWrite;
  tagged: boolean;
}

function vectorOnlyWrite(table: VectorTable, photoId: number, vector: Float32Array): AnalyzerWrite {
  return (db: Db) => writeImageVector(db, table, photoId, vector);
}

export function clipWrite(table: VectorTable, modelId: string, photoId: number, vector: Float32Array, tags: TagResult): AnalyzerWrite {
  return (db: Db) => {
    writeImageVector(db, table, photoId, vector);
    replacePhotoTags(db, photoId, modelId, tags.tags, tags);
    markEmbedded(db, photoId, modelId);
  };
}

export interface BackfillOptions {
  /** Decodes a photo file to the same reduced-size RgbImage the indexer would have. */
  decode: (path: string) => Promise<RgbImage>;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Photos embedded per session run. */
  batchSize?: number;
  /** Photos to skip (a resumed job's finished ones). */
  skip?: ReadonlySet<number>;
  /** Runs inside each photo's own transaction, after its vector is written (the job's bookkeeping). */
  onPhotoWritten?: (db: Db, photoId: number) => void;
  onPhotoFailed?: (photoId: number) => void;
  /** How a failed concept-tagger setup is retried and reported (see clipStage). */
  tagger?: ClipStageOptions;
}

export interface BackfillResult {
  embedded: number;
  failed: number;
  remaining: number;
}

/**
 * Embeds the indexed photos this model has not embedded yet (a model installed or switched after
 * indexing), one transaction per photo, so a kill loses at most the batch in flight and a restart
 * resumes where it stopped: progress is the photo_embeddings table itself. Vectors of other models are
 * left alone, so search keeps working on the old model until this one covers the library.
 */
export async function backfillClipEmbeddings(
  library: Library,
  model: ClipModel,
  modelId: string,
  options: BackfillOptions,
): Promise<BackfillResult> {
  const db = library.db;
  const stage = clipStage(library, model, modelId, undefined, options.tagger);
  const pending = photosWithoutEmbedding(db, modelId).filter((p) => !options.skip?.has(p.id));
  const batchSize = options.batchSize ?? 8;
  let embedded = 0;
  let failed = 0;
  for (let i = 0; i < pending.length; i += batchSize) {
    if (options.signal?.aborted) break;
    const batch = pending.slice(i, i + batchSize);
    const decoded = await Promise.all(
      batch.map(async (photo) => {
        try {
          return { photoId: photo.id, image: await options.decode(photo.path) };
        } catch {
          failed++; // an unreadable file stays pending for the next backfill; indexing reports it
          options.onPhotoFailed?.(photo.id);
          return null;
        }
      }),
    );
    const photos = decoded.filter((d): d is { photoId: number; image: RgbImage } => d !== null);
    const staged = photos.length ? await stage(photos) : [];
    staged.forEach(({ write, tagged }, k) =>
      db
        .transaction(() => {
          write(db);
          // Only a complete photo is finished; one written without tags stays pending for a later backfill.
          if (tagged) options.onPhotoWritten?.(db, photos[k]!.photoId);
        })
        .immediate(),
    );
    embedded += staged.filter((s) => s.tagged).length;
    options.onProgress?.(Math.min(i + batch.length, pending.length), pending.length);
  }
  return { embedded, failed, remaining: pending.length - embedded };
}

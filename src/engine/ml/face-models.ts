import type { Device } from '../../common/api/device';
import type { ModelEntry } from '../models/manifest-schema';
import type { ModelManager } from '../models/model-manager';
import { YuNetDetector } from './faces/detector';
import { type EmbedderInputSpec, FaceEmbedder } from './faces/embedder';
import { openModels } from './runtime/open-models';
import type { SessionPool } from './runtime/session-pool';

export interface FaceModels {
  detector: YuNetDetector;
  embedder: FaceEmbedder;
  detectorId: string;
  embedderId: string;
  /** The execution provider actually running the models (e.g. "cpu", "dml", "coreml", "cuda"). */
  provider: string;
  fallbackReason?: string;
}

/** The embedder's input normalisation comes from the manifest, so SFace and MobileFaceNet share code. */
export function embedderSpec(entry: ModelEntry): EmbedderInputSpec {
  const input = entry.input;
  const size = Array.isArray(input?.size) ? input.size[0] : input?.size;
  return {
    size: typeof size === 'number' ? size : 112,
    channelOrder: String(input?.channelOrder ?? 'RGB').toLowerCase() === 'bgr' ? 'bgr' : 'rgb',
    mean: (input?.mean as [number, number, number] | undefined) ?? [127.5, 127.5, 127.5],
    std: (input?.std as [number, number, number] | undefined) ?? [128, 128, 128],
  };
}

/**
 * Resolves (and verifies) the default face detector and embedder, then opens one session each.
 * A missing or corrupt model surfaces as the model manager's FacetError, naming the model and the fix.
 */
export async function loadFaceModels(
  models: ModelManager,
  sessions: SessionPool,
  device: Device,
  ids: {
    detector?: string;
    embedder?: string;
    /** False: on this thread even with cores to spare (tests compare the two). */ inWorkers?: boolean;
  } = {},
): Promise<FaceModels> {
  const detectorEntry = ids.detector ? models.entry(ids.detector) : models.defaultFor('face-detection');
  const embedderEntry = ids.embedder ? models.entry(ids.embedder) : models.defaultFor('face-embedding');
  const [detectorModel, embedderModel] = await Promise.all([models.resolve(detectorEntry.id), models.resolve(embedderEntry.id)]);
  // In a worker thread per core but one on CPU, so inference runs beside the index run's own JavaScript
  // (open-models.ts; on 2 cores `facet bench index` 15.1 → 17.2-18.5 photos/s, README "Face models in a
  // worker thread"), else one intra-op thread per session on this thread.
  const opened = await openModels([detectorModel.files.model!, embedderModel.files.model!], device, {
    purpose: 'face',
    sessions,
    inWorkers: ids.inWorkers !== false,
  });
  return {
    detector: YuNetDetector.fromSession(opened.sessions[0]!),
    embedder: FaceEmbedder.fromSession(opened.sessions[1]!, embedderSpec(embedderEntry)),
    detectorId: detectorEntry.id,
    embedderId: embedderEntry.id,
    provider: opened.provider,
    ...(opened.fallbackReason ? { fallbackReason: opened.fallbackReason } : {}),
  };
}

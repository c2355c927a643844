import fs from 'node:fs/promises';
import os from 'node:os';
import type { Device } from '../../common/api/device';
import type { ModelEntry } from '../models/manifest-schema';
import type { ModelManager } from '../models/model-manager';
import type { OcrModels } from './ocr/read-text';
import { TextDetector } from './ocr/text-detector';
import { parseDictionary, TextRecognizer } from './ocr/text-recognizer';
import { chooseExecutionProviders } from './runtime/execution-providers';
import { createSession, currentEnvironment } from './runtime/session';
import { type RunnableSession, WorkerSessions } from './runtime/worker-sessions';
import type { SessionPool } from './runtime/session-pool';

export type { OcrModels } from './ocr/read-text';

/**
 * The default text detector and recogniser (PP-OCRv4, embedded in the npm package: no download), each
 * on a session from Facet's runtime, so the provider choice and CPU fallback are the faces'. Every
 * other text recogniser the user installed (the Korean one: facet models download ppocr-v3-rec-korean)
 * joins it: each line is read by all of them and the most confident reading is kept.
 */
export async function loadOcrModels(
  models: ModelManager,
  device: Device,
  ids: {
    detector?: string;
    recognizers?: string[];
    /** False: on this thread even with cores to spare (tests compare the two). */ inWorkers?: boolean;
  } = {},
  sessions?: SessionPool,
): Promise<OcrModels> {
  const detectorEntry = ids.detector ? models.entry(ids.detector) : models.defaultFor('text-detection');
  const recognizerEntries = ids.recognizers ? ids.recognizers.map((id) => models.entry(id)) : installedRecognizers(models);
  const detectorModel = await models.resolve(detectorEntry.id);
  const recognizerModels = await Promise.all(recognizerEntries.map((entry) => models.resolve(entry.id)));
  const dictionaries = await Promise.all(recognizerModels.map((m) => fs.readFile(m.files.dictionary!, 'utf8')));
  const files = [detectorModel.files.model!, ...recognizerModels.map((m) => m.files.model!)];
  const opened =
    (ids.inWorkers === false ? null : await inWorkers(files, device, sessions)) ?? (await onThisThread(files, device, sessions));
  return {
    detector: TextDetector.fromSession(opened.sessions[0]!),
    recognizers: recognizerModels.map((_, i) => TextRecognizer.fromSession(opened.sessions[i + 1]!, parseDictionary(dictionaries[i]!))),
    modelId: ocrModelId(detectorEntry, recognizerEntries),
    provider: opened.provider,
  };
}

/** Workers for the text models where there is more than one core: the text job is nearly all inference (worker-sessions.ts). */
export const TEXT_INFERENCE_WORKERS = Math.min(4, os.availableParallelism());

interface OpenedModels {
  sessions: RunnableSession[];
  provider: string;
}

/**
 * On CPU with two cores or more: the models in worker threads, one intra-op thread each, so the photos
 * in flight use every core; null (open them on this thread) on a GPU, on one core, or where
 * onnxruntime cannot start in a worker.
 */
async function inWorkers(files: string[], device: Device, sessions?: SessionPool): Promise<OpenedModels | null> {
  const env = currentEnvironment();
  const plan = chooseExecutionProviders(env.platform, env.arch, device, env.available);
  if (plan.providers[0] !== 'cpu' || TEXT_INFERENCE_WORKERS < 2) return null;
  try {
    const pool = await (sessions ? sessions.inWorkers(files, TEXT_INFERENCE_WORKERS) : WorkerSessions.open(files, TEXT_INFERENCE_WORKERS));
    return { sessions: files.map((file) => pool.session(file)), provider: 'cpu' };
  } catch (error) {
    // Still works, at about half the speed on two cores: say so once (the app's worker forwards this to
    // its log file), and `facet status` / library.status show it (SessionPool.workerThreads).
    if (!warnedWorkerFallback) {
      warnedWorkerFallback = true;
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!; // not a failed require's stack
      console.warn(
        `[facet] The text models run on the main thread: their ${TEXT_INFERENCE_WORKERS} worker threads did not start (${reason}).`,
      );
    }
    return null;
  }
}

let warnedWorkerFallback = false;

/** One onnxruntime session per model on this thread: the engine's pool when given (status lists them, Engine.close releases them), else fresh ones (tests, benches). */
async function onThisThread(files: string[], device: Device, sessions?: SessionPool): Promise<OpenedModels> {
  // One intra-op thread each, as the face models.
  const open = (file: string) => (sessions ? sessions.create(file, { device, threads: 1 }) : createSession(file, { device, threads: 1 }));
  const created = await Promise.all(files.map(open));
  return { sessions: created.map((c) => c.session), provider: created[0]!.provider };
}

/** What a photo's text is read with: "<detector>+<recogniser>[+<recogniser>…]". */
function ocrModelId(detector: ModelEntry, recognizers: readonly ModelEntry[]): string {
  return [detector.id, ...recognizers.map((e) => e.id)].join('+');
}

/**
 * The model id loadOcrModels would load now, without opening any session (to decide on a backfill);
 * null when the manifest in use has no text models (a custom manifest): there is then nothing to read
 * text with, and a model download must not fail over it.
 */
export function currentOcrModelId(models: ModelManager): string | null {
  if (!models.hasDefaultFor('text-detection') || !models.hasDefaultFor('text-recognition')) return null;
  return ocrModelId(models.defaultFor('text-detection'), installedRecognizers(models));
}

/** The default recogniser first, then the other installed ones (a download may add languages). */
function installedRecognizers(models: ModelManager): ModelEntry[] {
  const fallback = models.defaultFor('text-recognition');
  return [fallback, ...models.installedFor('text-recognition').filter((e) => e.id !== fallback.id)];
}

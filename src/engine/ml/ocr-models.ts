import fs from 'node:fs/promises';
import type { Device } from '../../common/api/device';
import type { ModelEntry } from '../models/manifest-schema';
import type { ModelManager } from '../models/model-manager';
import type { OcrModels } from './ocr/read-text';
import { TextDetector } from './ocr/text-detector';
import { parseDictionary, TextRecognizer } from './ocr/text-recognizer';
import { openModels } from './runtime/open-models';
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
  // The text job is almost all inference: in worker threads its photos use every core (open-models.ts).
  const opened = await openModels(files, device, {
    purpose: 'text',
    inWorkers: ids.inWorkers !== false,
    ...(sessions ? { sessions } : {}),
  });
  return {
    detector: TextDetector.fromSession(opened.sessions[0]!),
    recognizers: recognizerModels.map((_, i) => TextRecognizer.fromSession(opened.sessions[i + 1]!, parseDictionary(dictionaries[i]!))),
    modelId: ocrModelId(detectorEntry, recognizerEntries),
    provider: opened.provider,
  };
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

import fs from 'node:fs/promises';
import type { Device } from './runtime/execution-providers';
import type { ModelManager } from '../models/model-manager';
import type { OcrModels } from './ocr/read-text';
import { TextDetector } from './ocr/text-detector';
import { parseDictionary, TextRecognizer } from './ocr/text-recognizer';
import { createSession } from './runtime/session';

export type { OcrModels } from './ocr/read-text';

/**
 * The default text detector and recogniser (PP-OCRv4, embedded in the npm package: no download),
 * each on one session from Facet's runtime, so the provider choice and CPU fallback are the faces'.
 * A recogniser id picks another language (the Korean one, once downloaded).
 */
export async function loadOcrModels(models: ModelManager, device: Device, ids: { detector?: string; recognizer?: string } = {}): Promise<OcrModels> {
  const detectorEntry = ids.detector ? models.entry(ids.detector) : models.defaultFor('text-detection');
  const recognizerEntry = ids.recognizer ? models.entry(ids.recognizer) : models.defaultFor('text-recognition');
  const [detectorModel, recognizerModel] = await Promise.all([models.resolve(detectorEntry.id), models.resolve(recognizerEntry.id)]);
  // One intra-op thread each, as the face models: photos in flight fill the cores.
  const [detector, recognizer, dictionary] = await Promise.all([
    createSession(detectorModel.files.model!, { device, threads: 1 }),
    createSession(recognizerModel.files.model!, { device, threads: 1 }),
    fs.readFile(recognizerModel.files.dictionary!, 'utf8'),
  ]);
  return {
    detector: TextDetector.fromSession(detector.session),
    recognizer: TextRecognizer.fromSession(recognizer.session, parseDictionary(dictionary)),
    modelId: `${detectorEntry.id}+${recognizerEntry.id}`,
    provider: detector.provider,
  };
}

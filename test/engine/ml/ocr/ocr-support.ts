import os from 'node:os';
import path from 'node:path';
import { loadOcrModels, type OcrModels } from '../../../../src/engine/ml/ocr-models';
import { ModelManager } from '../../../../src/engine/models/model-manager';
import { sharedPhotos } from '../../../support/shared';

/** The embedded PP-OCRv4 models, resolved the way the app does (no --models folder, nothing downloaded). */
export function embeddedOcrModels(): Promise<OcrModels> {
  return loadOcrModels(new ModelManager({ libraryModelsDir: path.join(os.tmpdir(), 'facet-test-no-models') }), 'cpu');
}

/** Backgrounds for generated signs: real photos from ../shared. */
export const SIGN_BACKGROUNDS = [sharedPhotos('objects'), sharedPhotos('captions', 'images')];

import { TextStore } from '../library/text-store';
import { detectTextPresence, toRelative } from '../ml/ocr/text-gate';
import type { OcrModels } from '../ml/ocr-models';
import type { PhotoAnalyzer } from './analyzer';

/**
 * Text in photos, first stage: the low-resolution check on the shared decode, stored in the photo's own
 * transaction. Photos with text are read in full by the text pass after faces and people (text-pass.ts),
 * so photos and people appear first.
 */
export function createTextScanAnalyzer(models: OcrModels): PhotoAnalyzer {
  return {
    name: 'text-scan',
    async analyze({ photoId, decoded }) {
      const verdict = await detectTextPresence(models.detector, decoded.image);
      return (db) => {
        new TextStore(db).recordScan(photoId, models.modelId, toRelative(verdict.regions, decoded.image));
      };
    },
  };
}

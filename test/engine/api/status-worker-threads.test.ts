import path from 'node:path';
import { expect, it } from 'vitest';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { TEXT_INFERENCE_WORKERS } from '../../../src/engine/ml/ocr-models';
import { tempDir } from '../../support/temp';

it('library.status says where the text models run once they are open: in worker threads, not silently on the main thread', async () => {
  const engine = Engine.open({ libraryDir: path.join(tempDir('facet-status-workers-'), 'library'), device: 'cpu', readText: false });
  try {
    const before = unwrap(await engine.call('library.status', {}));
    expect(before.inferenceWorkers).toBeNull();
    expect(before.heicDecoder.workersFailed).toBeNull();
    await engine.ctx.ocrModels(); // the embedded PP-OCR models: no download
    const after = unwrap(await engine.call('library.status', {}));
    // On one core the models stay on the main thread by design (nothing to parallelise): nothing was tried.
    expect(after.inferenceWorkers).toEqual(TEXT_INFERENCE_WORKERS >= 2 ? { size: TEXT_INFERENCE_WORKERS, failed: null } : null);
  } finally {
    engine.close();
  }
});

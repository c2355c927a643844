import path from 'node:path';
import { expect, it } from 'vitest';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import { INFERENCE_WORKERS, workerThreadsFor } from '../../../src/engine/ml/runtime/open-models';
import { tempDir } from '../../support/temp';
import { describeWithShared, SHARED_MODELS, sharedPhotos } from '../../support/shared';
import { ModelManager } from '../../../src/engine/models/model-manager';
import { SessionPool } from '../../../src/engine/ml/runtime/session-pool';
import { loadFaceModels } from '../../../src/engine/ml/face-models';
import { analyzeFaces } from '../../../src/engine/ml/faces/face-analyzer';
import { dot } from '../../../src/engine/ml/vector-math';
import { loadPhoto } from '../ml/faces/load-photo';

it('library.status says where the face and the text models run once they are open: in worker threads, not silently on the main thread', async () => {
  const engine = Engine.open({ libraryDir: path.join(tempDir('facet-status-workers-'), 'library'), device: 'cpu', readText: false });
  try {
    const before = unwrap(await engine.call('library.status', {}));
    expect(before.inferenceWorkers).toEqual({ face: null, text: null });
    expect(before.heicDecoder.workersFailed).toBeNull();
    await engine.ctx.ocrModels(); // the embedded PP-OCR models: no download
    // On one core the models stay on the main thread by design (nothing to parallelise): nothing was tried.
    const expected = INFERENCE_WORKERS >= 2 ? { size: INFERENCE_WORKERS, failed: null } : null;
    expect(unwrap(await engine.call('library.status', {})).inferenceWorkers).toEqual({ face: null, text: expected });
    expect(unwrap(await engine.call('library.status', {})).executionProvider).toBe('cpu');
  } finally {
    engine.close();
  }
});

describeWithShared('face models in worker threads', () => {
  it('run in worker threads: the same faces and embeddings as on the main thread, several photos at once, and status says so', async () => {
    const photos = ['couple.jpg', 'img1.jpg', 'img2.jpg'].map((name) => sharedPhotos('faces-celebs', name));
    const engine = Engine.open({
      libraryDir: path.join(tempDir('facet-face-workers-'), 'library'),
      modelsDir: SHARED_MODELS,
      device: 'cpu',
      readText: false,
    });
    const manager = new ModelManager({
      libraryModelsDir: path.join(tempDir('facet-face-workers-models-'), 'models'),
      modelsDir: SHARED_MODELS,
    });
    const onThisThread = new SessionPool();
    try {
      const inWorkers = await engine.ctx.faceModels();
      const expected = INFERENCE_WORKERS >= 2 ? { size: workerThreadsFor('face'), failed: null } : null;
      expect(unwrap(await engine.call('library.status', {})).inferenceWorkers.face).toEqual(expected);
      const reference = await loadFaceModels(manager, onThisThread, 'cpu', { inWorkers: false });
      expect(onThisThread.workerThreads.face).toBeNull();
      for (const file of photos) {
        const { image, scale } = await loadPhoto(file, 640);
        // Several photos at once, as indexing runs them: each run goes to a free worker.
        const [a, b] = await Promise.all([
          analyzeFaces(image, { detector: inWorkers.detector, embedder: inWorkers.embedder, scale }),
          analyzeFaces(image, { detector: inWorkers.detector, embedder: inWorkers.embedder, scale }),
        ]);
        const main = await analyzeFaces(image, { detector: reference.detector, embedder: reference.embedder, scale });
        expect(main.length).toBeGreaterThan(0);
        for (const faces of [a, b]) {
          expect(faces.map((f) => f.box)).toEqual(main.map((f) => f.box));
          faces.forEach((face, i) => expect(dot(face.embedding, main[i]!.embedding)).toBeGreaterThan(0.99999));
        }
      }
    } finally {
      engine.close();
      await onThisThread.release();
    }
  });
});

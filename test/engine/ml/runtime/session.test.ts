import { afterAll, expect, it } from 'vitest';
import { Tensor } from 'onnxruntime-node';
import { cudaLibrariesInstalled } from '../../../../src/engine/ml/runtime/available-providers';
import { SessionPool } from '../../../../src/engine/ml/runtime/session-pool';
import { describeWithShared, sharedModel } from '../../../support/shared';

const YUNET = sharedModel('face_detection_yunet_2023mar.onnx');

describeWithShared('SessionPool (real onnxruntime, YuNet)', () => {
  const pool = new SessionPool();
  afterAll(() => pool.release());

  it('runs YuNet on CPU and caches the session by path and device', async () => {
    const created = await pool.create(YUNET, { device: 'cpu', threads: 1 });
    expect(created.provider).toBe('cpu');
    expect(created.fallbackReason).toBeUndefined();
    expect(created.session.inputNames).toEqual(['input']);
    const out = await created.session.run({ input: new Tensor('float32', new Float32Array(3 * 640 * 640), [1, 3, 640, 640]) });
    expect(out['cls_8']?.dims).toEqual([1, 6400, 1]);
    expect((await pool.create(YUNET, { device: 'cpu', threads: 1 })).session).toBe(created.session);
    expect(pool.provider).toBe('cpu');
  });

  it('shares nothing between two pools (two engines in one process), and releases its sessions', async () => {
    const other = new SessionPool();
    const mine = await pool.create(YUNET, { device: 'cpu', threads: 1 });
    const theirs = await other.create(YUNET, { device: 'cpu', threads: 1 });
    expect(theirs.session).not.toBe(mine.session);
    expect(other.loaded).toEqual(['face_detection_yunet_2023mar.onnx']);
    await other.release();
    expect(other.provider).toBeNull();
    expect(other.loaded).toEqual([]);
    expect((await pool.create(YUNET, { device: 'cpu', threads: 1 })).session).toBe(mine.session);
  });

  it('falls back to CPU with the reason when a present GPU provider fails to load', async () => {
    // CUDA claimed available, but its libraries are not on this machine: onnxruntime really fails to load it.
    if (cudaLibrariesInstalled()) return;
    const logged: string[] = [];
    const created = await pool.create(
      YUNET,
      { device: 'gpu', log: (m) => logged.push(m) },
      { platform: 'linux', arch: 'x64', available: ['cpu', 'cuda'] },
    );
    expect(created.provider).toBe('cpu');
    expect(created.fallbackReason).toMatch(/cuda execution provider failed to load/);
    expect(logged.join('\n')).toMatch(/cuda.*using CPU/);
    expect(pool.fallbackReason).toBe(created.fallbackReason);
    expect(created.session.outputNames).toContain('bbox_32');
  });

  it('answers --device gpu without any GPU with CPU and a clear reason, not a crash', async () => {
    const logged: string[] = [];
    const created = await pool.create(
      YUNET,
      { device: 'gpu', log: (m) => logged.push(m) },
      { platform: 'linux', arch: 'x64', available: ['cpu'] },
    );
    expect(created.provider).toBe('cpu');
    expect(created.fallbackReason).toMatch(/gpu:cuda/);
    expect(logged).toHaveLength(1);
  });

  it('reports an unreadable model as model_corrupt', async () => {
    await expect(pool.create(sharedModel('imagenet_labels.txt'), { device: 'cpu' })).rejects.toMatchObject({ code: 'model_corrupt' });
  });
});

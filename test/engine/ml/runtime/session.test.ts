import { afterAll, expect, it } from 'vitest';
import { Tensor } from 'onnxruntime-node';
import { cudaLibrariesInstalled } from '../../../../src/engine/ml/runtime/available-providers';
import { createSession, lastFallbackReason, lastProvider, releaseSessions } from '../../../../src/engine/ml/runtime/session';
import { describeWithShared, sharedModel } from '../../../support/shared';

const YUNET = sharedModel('face_detection_yunet_2023mar.onnx');

describeWithShared('createSession (real onnxruntime, YuNet)', () => {
  afterAll(releaseSessions);

  it('runs YuNet on CPU and caches the session by path and device', async () => {
    const created = await createSession(YUNET, { device: 'cpu', threads: 1 });
    expect(created.provider).toBe('cpu');
    expect(created.fallbackReason).toBeUndefined();
    expect(created.session.inputNames).toEqual(['input']);
    const out = await created.session.run({ input: new Tensor('float32', new Float32Array(3 * 640 * 640), [1, 3, 640, 640]) });
    expect(out['cls_8']?.dims).toEqual([1, 6400, 1]);
    expect((await createSession(YUNET, { device: 'cpu', threads: 1 })).session).toBe(created.session);
    expect(lastProvider()).toBe('cpu');
  });

  it('falls back to CPU with the reason when a present GPU provider fails to load', async () => {
    // CUDA claimed available, but its libraries are not on this machine: onnxruntime really fails to load it.
    if (cudaLibrariesInstalled()) return;
    const logged: string[] = [];
    const created = await createSession(YUNET, { device: 'gpu', log: (m) => logged.push(m) }, { platform: 'linux', arch: 'x64', available: ['cpu', 'cuda'] });
    expect(created.provider).toBe('cpu');
    expect(created.fallbackReason).toMatch(/cuda execution provider failed to load/);
    expect(logged.join('\n')).toMatch(/cuda.*using CPU/);
    expect(lastFallbackReason()).toBe(created.fallbackReason);
    expect(created.session.outputNames).toContain('bbox_32');
  });

  it('answers --device gpu without any GPU with CPU and a clear reason, not a crash', async () => {
    const logged: string[] = [];
    const created = await createSession(YUNET, { device: 'gpu', log: (m) => logged.push(m) }, { platform: 'linux', arch: 'x64', available: ['cpu'] });
    expect(created.provider).toBe('cpu');
    expect(created.fallbackReason).toMatch(/gpu:cuda/);
    expect(logged).toHaveLength(1);
  });

  it('reports an unreadable model as model_corrupt', async () => {
    await expect(createSession(sharedModel('imagenet_labels.txt'), { device: 'cpu' })).rejects.toMatchObject({ code: 'model_corrupt' });
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundledManifest, parseManifest } from '../../../src/engine/models/manifest';
import type { ModelEntry, ModelManifest } from '../../../src/engine/models/manifest-schema';
import { ModelManager } from '../../../src/engine/models/model-manager';
import { describeWithShared, SHARED_MODELS, sharedModel } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { Engine } from '../../../src/engine/engine';
import { startModelServer, type ModelServer } from './loopback-model-server';

const YUNET = 'face_detection_yunet_2023mar.onnx';
const MOBILEFACENET = 'face_recognition_mobilefacenet_128.onnx';
const YUNET_BYTES = 232589;

/** The real manifest's entries, pointed at the loopback server, plus variants for each failure. */
function loopbackManifest(base: string): ModelManifest {
  const real = (id: string) => structuredClone(bundledManifest().models.find((m) => m.id === id)!) as ModelEntry;
  const variant = (id: string, newId: string, files: ModelEntry['files']): ModelEntry => ({ ...real(id), id: newId, default: false, files });
  const yunet = { ...real('yunet-2023mar'), default: true }; // the only detector in this manifest
  yunet.files[0]!.url = `${base}/files/${YUNET}`;
  const yolox = real('yolox-nano');
  yolox.files[0]!.url = `${base}/corrupt/${yolox.files[0]!.name}`;
  const etagOnly = {
    ...variant('mobilefacenet-128', 'mobilefacenet-etag', [
      { name: MOBILEFACENET, role: 'model', url: `${base}/resolve/${MOBILEFACENET}` },
      { name: 'labels/imagenet_labels.txt', role: 'labels', url: `${base}/files/imagenet_labels.txt` },
    ]),
    default: true,
  };
  return parseManifest({
    version: 1,
    models: [
      yunet,
      yolox,
      etagOnly,
      variant('mobilefacenet-128', 'mobilefacenet-corrupt-etag', [{ name: MOBILEFACENET, role: 'model', url: `${base}/corrupt/${MOBILEFACENET}` }]),
      variant('yunet-2023mar', 'yunet-unverifiable', [{ name: YUNET, role: 'model', url: `${base}/lfs/${YUNET}` }]),
      variant('yunet-2023mar', 'yunet-away', [{ name: YUNET, role: 'model', url: `${base}/away/${YUNET}` }]),
    ],
  });
}

describeWithShared('ModelManager.download against a loopback server', () => {
  let server: ModelServer;
  let manifest: ModelManifest;
  beforeAll(async () => {
    server = await startModelServer(SHARED_MODELS);
    manifest = loopbackManifest(server.url);
  });
  afterAll(() => server.close());

  const newManager = (allowHttpLoopback = true) =>
    new ModelManager({ libraryModelsDir: path.join(tempDir(), 'models'), manifest, allowHttpLoopback, retryDelayMs: 10 });

  it('reports progress and resumes with Range after the connection drops half-way', async () => {
    const manager = newManager();
    const url = `/files/${YUNET}`;
    server.interruptOnce.add(url);
    const before = server.requests.length;
    const progress: [number, number | null][] = [];
    await manager.download('yunet-2023mar', { onProgress: (received, total) => progress.push([received, total]) });

    const requests = server.requests.slice(before);
    expect(requests.map((r) => r.range)).toEqual([undefined, expect.stringMatching(/^bytes=[1-9]\d*-$/)]);
    expect(progress.at(-1)).toEqual([YUNET_BYTES, YUNET_BYTES]);
    expect(progress.every(([, total]) => total === YUNET_BYTES)).toBe(true);
    const resolved = await manager.resolve('yunet-2023mar');
    // Buffer.equals, not toEqual: vitest's deep equality walks 232,589 bytes one by one.
    expect(fs.readFileSync(resolved.files.model!).equals(fs.readFileSync(sharedModel(YUNET)))).toBe(true);
    expect(fs.existsSync(`${resolved.files.model}.partial`)).toBe(false);

    // Installed and intact: a second download asks the server nothing.
    const count = server.requests.length;
    await manager.download('yunet-2023mar');
    expect(server.requests.length).toBe(count);
  });

  it('gives up an answer that goes quiet half-way (no bytes for the stall time) and resumes it with Range', async () => {
    const manager = new ModelManager({
      libraryModelsDir: path.join(tempDir(), 'models'),
      manifest,
      allowHttpLoopback: true,
      retryDelayMs: 10,
      stallTimeoutMs: 300,
    });
    server.stallOnce.add(`/files/${YUNET}`);
    const before = server.requests.length;
    await manager.download('yunet-2023mar');
    expect(server.requests.slice(before).map((r) => r.range)).toEqual([undefined, expect.stringMatching(/^bytes=[1-9]\d*-$/)]);
    const resolved = await manager.resolve('yunet-2023mar');
    expect(fs.readFileSync(resolved.files.model!).equals(fs.readFileSync(sharedModel(YUNET)))).toBe(true);
  });

  it('resumes a partial file left by an earlier, interrupted run', async () => {
    const manager = newManager();
    const partial = path.join(manager.libraryModelsDir, 'yunet-2023mar', `${YUNET}.partial`);
    fs.mkdirSync(path.dirname(partial), { recursive: true });
    fs.writeFileSync(partial, fs.readFileSync(sharedModel(YUNET)).subarray(0, 100_000));
    const before = server.requests.length;
    await manager.download('yunet-2023mar');
    expect(server.requests.slice(before).map((r) => r.range)).toEqual(['bytes=100000-']);
    await expect(manager.resolve('yunet-2023mar')).resolves.toBeDefined();
  });

  it('verifies files without a manifest hash by their ETag (LFS sha256 on the redirect, git sha1 for small files), and keeps guarding them', async () => {
    const manager = newManager();
    await manager.download('mobilefacenet-etag');
    const resolved = await manager.resolve('mobilefacenet-etag');
    expect(fs.readFileSync(resolved.files.labels!, 'utf8')).toBe(fs.readFileSync(sharedModel('imagenet_labels.txt'), 'utf8'));
    expect(server.requests.map((r) => r.url)).toContain(`/lfs/${MOBILEFACENET}`);

    // The sha256 recorded at download time catches later damage although the manifest has none.
    fs.appendFileSync(resolved.files.labels!, 'tampered');
    await expect(manager.resolve('mobilefacenet-etag')).rejects.toMatchObject({ code: 'model_corrupt' });
  });

  it('rejects a corrupted download (sha256 or ETag) and leaves nothing behind', async () => {
    const manager = newManager();
    const libraryDir = manager.libraryModelsDir;
    await expect(manager.download('yolox-nano')).rejects.toMatchObject({ code: 'model_corrupt', message: expect.stringMatching(/sha256 does not match/) });
    await expect(manager.download('mobilefacenet-corrupt-etag')).rejects.toMatchObject({ code: 'model_corrupt' });
    expect(fs.existsSync(path.join(libraryDir, 'yolox-nano'))).toBe(false);
    expect(fs.existsSync(path.join(libraryDir, 'mobilefacenet-corrupt-etag'))).toBe(false);
    expect(manager.list().find((m) => m.id === 'yolox-nano')?.installed).toBe(false);
  });

  it('refuses a file it cannot verify (no hash, opaque ETag)', async () => {
    const manager = newManager();
    await expect(manager.download('yunet-unverifiable')).rejects.toMatchObject({ code: 'model_corrupt', message: expect.stringMatching(/cannot be verified/) });
    expect(fs.existsSync(path.join(manager.libraryModelsDir, 'yunet-unverifiable'))).toBe(false);
    expect(manager.list().find((m) => m.id === 'yunet-unverifiable')?.installed).toBe(false);
  });

  it('refuses plain http (outside tests) and redirects to hosts the manifest does not trust', async () => {
    const before = server.requests.length;
    await expect(newManager(false).download('yunet-2023mar')).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/https only/) });
    expect(server.requests.length).toBe(before);
    await expect(newManager().download('yunet-away')).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/example\.invalid/) });
  });

  it('models.download (API channel) sends throttled progress events ending at the full size, then library.changed', async () => {
    const events: [string, unknown][] = [];
    // A real engine (its job queue takes the backfills a new model asks for), downloading from the
    // loopback server: the models.* handlers read ctx.models, so the test's manager is swapped in.
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'api-library'), onEvent: (event, payload) => void events.push([event, payload]) });
    try {
      engine.ctx.models = newManager();
      const result = await engine.call('models.download', { id: 'yunet-2023mar' });
      expect(result).toMatchObject({ ok: true, value: { id: 'yunet-2023mar', installed: true, bytes: YUNET_BYTES } });
      const modelEvents = events.filter(([event]) => event === 'models.downloadProgress' || event === 'library.changed');
      expect(modelEvents.at(-2)).toEqual(['models.downloadProgress', { modelId: 'yunet-2023mar', receivedBytes: YUNET_BYTES, totalBytes: YUNET_BYTES }]);
      expect(modelEvents.at(-1)).toEqual(['library.changed', { reason: 'models' }]);
      expect(await engine.call('models.remove', { id: 'yunet-2023mar' })).toEqual({ ok: true, value: { removed: true } });
      expect(await engine.call('models.download', { id: '../../etc' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    } finally {
      engine.close();
    }
  });

  it('stops with cancelled when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(newManager().download('yunet-2023mar', { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('a mirror set after start (the app\'s Settings) is used by the next download, and clearing it goes back to the manifest\'s host', async () => {
    const manager = newManager(false); // plain http is allowed for the mirror's host only
    manager.setMirror(`${server.url}/mirror`);
    const before = server.requests.length;
    await manager.download('yunet-2023mar');
    expect(server.requests.slice(before).map((r) => r.url)).toEqual([`/mirror/yunet-2023mar/${YUNET}`]);
    const other = newManager(false);
    other.setMirror(`${server.url}/mirror`);
    other.setMirror(undefined);
    await expect(other.download('yunet-2023mar')).rejects.toThrow(/http/i); // the manifest's plain-http loopback URL again, refused
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelManager, VERIFICATION_CACHE_FILE } from '../../../src/engine/models/model-manager';
import { bundledManifest } from '../../../src/engine/models/manifest';
import { describeWithShared, SHARED_MODELS, sharedModel } from '../../support/shared';
import { tempDir } from '../../support/temp';

const YUNET_FILE = 'face_detection_yunet_2023mar.onnx';

function copyIntoLibrary(libraryModelsDir: string, id: string, file: string): string {
  const dest = path.join(libraryModelsDir, id, file);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(sharedModel(file), dest);
  return dest;
}

describe('ModelManager without any model', () => {
  const manager = new ModelManager({ libraryModelsDir: path.join(tempDir(), 'models') });

  it('lists every manifest model as not installed, with known sizes', () => {
    const yunet = manager.list().find((m) => m.id === 'yunet-2023mar');
    expect(yunet).toEqual({ id: 'yunet-2023mar', task: 'face-detection', title: expect.any(String), default: false, installed: false, bytes: 232589, location: null, source: 'manifest' });
    expect(manager.list().find((m) => m.id === 'clip-vit-b32-openai')?.bytes).toBeNull();
  });

  it('says which model is missing and how to get it', async () => {
    const error = await manager.resolve('mobilefacenet-128').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'model_missing' });
    // A default face model is one command for all of them.
    expect((error as Error).message).toMatch(/facet models download --defaults \(or point --models DIR/);
  });

  it('names the known ids for an unknown one, and gives the default per task', () => {
    expect(() => manager.entry('nope')).toThrow(/Known models: yunet-2023mar, /);
    expect(manager.defaultFor('face-detection').id).toBe('yunet-s-dynamic');
    expect(manager.installedFor('clip')).toEqual([]);
  });
});

describeWithShared('ModelManager with real model files', () => {
  it('resolves from a --models folder (flat, by file name)', async () => {
    const manager = new ModelManager({ libraryModelsDir: path.join(tempDir(), 'models'), modelsDir: SHARED_MODELS });
    const resolved = await manager.resolve('yunet-2023mar');
    expect(resolved.files).toEqual({ model: sharedModel(YUNET_FILE) });
    expect(manager.installedFor('face-embedding').map((m) => m.id)).toEqual(['mobilefacenet-128']);
    expect(manager.list().find((m) => m.id === 'yolox-nano')).toMatchObject({ installed: true, location: SHARED_MODELS, bytes: 3659407 });
  });

  it('resolves from the library, hashes once, and rehashes only when the file changes', async () => {
    const libraryModelsDir = path.join(tempDir(), 'models');
    const file = copyIntoLibrary(libraryModelsDir, 'yunet-2023mar', YUNET_FILE);
    const fixedTime = 1_700_000_000; // whole seconds, so restoring it below is exact on every file system
    fs.utimesSync(file, fixedTime, fixedTime);
    const manager = new ModelManager({ libraryModelsDir });
    expect((await manager.resolve('yunet-2023mar')).files.model).toBe(file);
    const cache = JSON.parse(fs.readFileSync(path.join(libraryModelsDir, VERIFICATION_CACHE_FILE), 'utf8'));
    expect(cache[file].sha256).toBe(bundledManifest().models[0]!.files[0]!.sha256);

    // Same size and mtime: the cache answers, so a corruption that keeps both goes unseen by design...
    const bytes = fs.readFileSync(file);
    bytes[1000] = bytes[1000]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    fs.utimesSync(file, fixedTime, fixedTime);
    await expect(new ModelManager({ libraryModelsDir }).resolve('yunet-2023mar')).resolves.toBeDefined();
    // ...while a new mtime triggers a rehash that catches it.
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const error = await new ModelManager({ libraryModelsDir }).resolve('yunet-2023mar').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'model_corrupt' });
    expect((error as Error).message).toMatch(/facet models download yunet-2023mar/);
  });

  it('rejects a wrong size as model_corrupt without hashing, and remove() deletes only the library copy', async () => {
    const libraryModelsDir = path.join(tempDir(), 'models');
    const file = copyIntoLibrary(libraryModelsDir, 'yunet-2023mar', YUNET_FILE);
    fs.appendFileSync(file, 'x');
    const manager = new ModelManager({ libraryModelsDir, modelsDir: path.join(tempDir(), 'empty') });
    await expect(manager.resolve('yunet-2023mar')).rejects.toMatchObject({ code: 'model_corrupt', message: expect.stringMatching(/232590 bytes, expected 232589/) });
    expect(await manager.verify('yunet-2023mar')).toMatchObject({ ok: false, error: { code: 'model_corrupt' } });
    expect(await manager.remove('yunet-2023mar')).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    expect(await manager.remove('yunet-2023mar')).toBe(false);
    expect(await manager.verify('yunet-2023mar')).toMatchObject({ ok: false, error: { code: 'model_missing' } });
  });

  it('prefers the --models folder over the library', async () => {
    const libraryModelsDir = path.join(tempDir(), 'models');
    copyIntoLibrary(libraryModelsDir, 'mobilefacenet-128', 'face_recognition_mobilefacenet_128.onnx');
    const manager = new ModelManager({ libraryModelsDir, modelsDir: SHARED_MODELS });
    expect((await manager.resolve('mobilefacenet-128')).location).toBe(SHARED_MODELS);
  });
});

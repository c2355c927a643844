import { describe, expect, it } from 'vitest';
import { bundledManifest, parseManifest } from '../../../src/engine/models/manifest';
import { MODEL_TASKS } from '../../../src/engine/models/manifest-schema';
import manifestJson from '../../../models/manifest.json';

describe('models/manifest.json', () => {
  const manifest = bundledManifest();

  it('parses; every task Facet runs has exactly one default model, and the unused object detector none (never downloaded)', () => {
    for (const task of MODEL_TASKS) {
      expect(manifest.models.filter((m) => m.task === task && m.default).map((m) => m.id), task).toHaveLength(task === 'object-detection' ? 0 : 1);
    }
    expect(manifest.models.find((m) => m.task === 'face-embedding' && m.default)?.id).toBe('mobilefacenet-128');
    expect(manifest.models.find((m) => m.task === 'clip' && m.default)?.id).toBe('clip-vit-b32-openai');
  });

  it('uses https only, and every clip model names a tokenizer file and the ViT-B/32 layout of Immich exports', () => {
    for (const m of manifest.models) for (const f of m.files) expect(new URL(f.url).protocol, f.url).toBe('https:');
    const clip = manifest.models.find((m) => m.id === 'clip-vit-b32-openai');
    expect(clip?.files.map((f) => f.url)).toContain('https://huggingface.co/immich-app/ViT-B-32__openai/resolve/main/visual/model.onnx');
    expect(clip?.task === 'clip' && clip.clip.embeddingDim).toBe(512);
  });

  it('rejects a second default for one task, a bad hash and a file escaping its folder', () => {
    const models = structuredClone(manifestJson.models) as Record<string, unknown>[];
    const twoDefaults = models.map((m) => (m.task === 'clip' ? { ...m, default: true } : m));
    expect(() => parseManifest({ ...manifestJson, models: twoDefaults })).toThrow(/exactly one default/);
    const badHash = structuredClone(models);
    (badHash[0]!.files as { sha256: string }[])[0]!.sha256 = 'abc';
    expect(() => parseManifest({ ...manifestJson, models: badHash })).toThrow(/sha256/);
    const escaping = structuredClone(models);
    (escaping[0]!.files as { name: string }[])[0]!.name = '../../etc/passwd';
    expect(() => parseManifest({ ...manifestJson, models: escaping })).toThrow(/inside the model folder/);
  });
});

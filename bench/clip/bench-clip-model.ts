import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { ClipModelEntry } from '../../src/engine/models/manifest-schema';
import { FLOAT, INT32, encodeModel, floatTensor, int64Tensor, intAttribute, node, valueInfo } from '../../src/engine/search/onnx-graph';
import { buildClipTokenizerJson } from '../../test/fixtures/tiny-clip/clip-tokenizer-json';
import { VIT_B32, vitB32Visual } from './vit-b32';

export const BENCH_CLIP_ID = 'bench-vit-b32-random';
const MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
const STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

/**
 * A CLIP model folder the engine installs like a download: the ViT-B/32-shaped image encoder
 * (vit-b32.ts, random weights), a small text encoder with the same 512-d output (indexing never runs
 * it), and CLIP's tokenizer. Generated once into `cacheDir` (about 350 MB), reused after.
 */
export function benchClipModel(
  cacheDir: string,
  bpeGzPath: string,
): { modelDir: string; entry: ClipModelEntry; files: Record<string, string> } {
  const modelDir = path.join(cacheDir, BENCH_CLIP_ID);
  const names = { visual: 'visual/model.onnx', textual: 'textual/model.onnx', tokenizer: 'textual/tokenizer.json' };
  const done = path.join(modelDir, 'complete.json');
  if (!fs.existsSync(done)) {
    fs.rmSync(modelDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(modelDir, 'visual'), { recursive: true });
    fs.mkdirSync(path.join(modelDir, 'textual'), { recursive: true });
    const tokenizerJson = buildClipTokenizerJson(bpeGzPath);
    new Tokenizer(tokenizerJson, {}); // fails early on a bad vocabulary
    fs.writeFileSync(path.join(modelDir, names.visual), vitB32Visual());
    fs.writeFileSync(path.join(modelDir, names.textual), textual());
    fs.writeFileSync(path.join(modelDir, names.tokenizer), JSON.stringify(tokenizerJson));
    const hashes = Object.fromEntries(Object.entries(names).map(([role, name]) => [role, sha256(path.join(modelDir, name))]));
    fs.writeFileSync(done, JSON.stringify(hashes));
  }
  const hashes = JSON.parse(fs.readFileSync(done, 'utf8')) as Record<string, string>;
  const entry: ClipModelEntry = {
    id: BENCH_CLIP_ID,
    title: 'ViT-B/32-shaped CLIP with random weights (benchmark only)',
    licence: 'MIT',
    default: true,
    task: 'clip',
    files: Object.entries(names).map(([role, name]) => ({
      name,
      role,
      url: `https://facet.invalid/${BENCH_CLIP_ID}/${name}`,
      bytes: fs.statSync(path.join(modelDir, name)).size,
      sha256: hashes[role]!,
    })),
    input: { size: [VIT_B32.imageSize, VIT_B32.imageSize], channelOrder: 'RGB', scale: 1 / 255, mean: MEAN, std: STD, layout: 'NCHW' },
    outputDim: VIT_B32.output,
    clip: {
      imageSize: VIT_B32.imageSize,
      resizeMode: 'shortest',
      crop: 'center',
      mean: MEAN,
      std: STD,
      contextLength: 77,
      embeddingDim: VIT_B32.output,
      tokenizer: 'tokenizer',
      promptTemplate: 'a photo of {}',
      defaultMinScore: 0.2,
      logitScale: 100,
    },
  };
  return { modelDir, entry, files: Object.fromEntries(Object.entries(names).map(([role, name]) => [role, path.join(modelDir, name)])) };
}

/** Token vectors (8-d) summed, then projected to 512-d: a valid text encoder of the right output size. */
function textual(): Uint8Array {
  const table = Float32Array.from({ length: 49408 * 8 }, (_, i) => Math.sin(i));
  return encodeModel({
    name: 'bench_clip_textual',
    input: [valueInfo('text', INT32, ['batch', 77])],
    output: [valueInfo('embedding', FLOAT, ['batch', VIT_B32.output])],
    initializer: [
      floatTensor('token_table', [49408, 8], table),
      int64Tensor('sum_axes', [1]),
      floatTensor(
        'projection',
        [8, VIT_B32.output],
        Array.from({ length: 8 * VIT_B32.output }, (_, i) => Math.cos(i)),
      ),
    ],
    node: [
      node('Gather', ['token_table', 'text'], ['token_vectors'], [intAttribute('axis', 0)]),
      node('ReduceSum', ['token_vectors', 'sum_axes'], ['summed'], [intAttribute('keepdims', 0)]),
      node('MatMul', ['summed', 'projection'], ['embedding']),
    ],
  });
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

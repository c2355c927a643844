import type { onnx } from 'onnx-proto';
import { FLOAT, encodeModel, int64Tensor, intAttribute, intsAttribute, node, valueInfo } from '../../src/engine/search/onnx-graph';
import { seededRandom } from '../seeded-random';

/**
 * OpenAI CLIP ViT-B/32's image encoder as an ONNX graph with random weights: the same layers, shapes
 * and so the same FLOPs (about 4.4 G per image) and memory traffic as the real export, for timing only.
 * No real CLIP weights can be downloaded here, and none are needed to know what one costs.
 *
 * 224×224 RGB → Conv 32×32/32 (768 channels) → 49 patches + class token + positions → LayerNorm →
 * 12 × [LayerNorm → 12-head self-attention (QKV 768→2304, out 768→768) → residual → LayerNorm →
 * MLP 768→3072 (QuickGELU) →768 → residual] → LayerNorm of the class token → projection 768→512.
 * Written at bench time into a cache folder; the weights (~350 MB) are never committed.
 */
export const VIT_B32 = { imageSize: 224, patch: 32, width: 768, layers: 12, heads: 12, mlp: 3072, output: 512 } as const;

export function vitB32Visual(seed = 1): Uint8Array {
  const { imageSize, patch, width, layers, heads, mlp, output } = VIT_B32;
  const tokens = (imageSize / patch) ** 2 + 1;
  const random = seededRandom(seed);
  const initializer: onnx.ITensorProto[] = [];
  const weight = (name: string, dims: number[], scale = 0.02, offset = 0) => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = offset + (random() * 2 - 1) * scale;
    initializer.push({ name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer) });
    return name;
  };
  const nodes: onnx.INodeProto[] = [];
  const add = (opType: string, inputs: string[], outputName: string, attributes: onnx.IAttributeProto[] = []) => {
    nodes.push(node(opType, inputs, [outputName], attributes));
    return outputName;
  };
  const layerNorm = (input: string, name: string) =>
    add('LayerNormalization', [input, weight(`${name}.weight`, [width], 0.02, 1), weight(`${name}.bias`, [width])], `${name}.out`, [
      intAttribute('axis', -1),
    ]);
  const linear = (input: string, name: string, inDim: number, outDim: number) =>
    add(
      'Add',
      [add('MatMul', [input, weight(`${name}.weight`, [inDim, outDim])], `${name}.mm`), weight(`${name}.bias`, [outDim])],
      `${name}.out`,
    );
  const shape = (name: string, values: number[]) => {
    initializer.push(int64Tensor(name, values));
    return name;
  };

  // Patches: [b,3,224,224] → [b,768,7,7] → [b,49,768]
  const patches = add('Conv', ['image', weight('conv1.weight', [width, 3, patch, patch])], 'patches', [
    intsAttribute('kernel_shape', [patch, patch]),
    intsAttribute('strides', [patch, patch]),
  ]);
  const flat = add('Reshape', [patches, shape('patch_shape', [0, width, tokens - 1])], 'patches_flat');
  const sequence = add('Transpose', [flat], 'patch_tokens', [intsAttribute('perm', [0, 2, 1])]);
  // The class token, broadcast over the batch: the first patch × 0 + the learned embedding.
  const first = add('Slice', [sequence, shape('first_start', [0]), shape('first_end', [1]), shape('first_axis', [1])], 'first_patch');
  const zero = add('Mul', [first, weight('zero', [1], 0)], 'zeros');
  const cls = add('Add', [zero, weight('class_embedding', [1, 1, width])], 'class_token');
  let x = add('Concat', [cls, sequence], 'tokens', [intAttribute('axis', 1)]);
  x = add('Add', [x, weight('positional_embedding', [tokens, width])], 'positioned');
  x = layerNorm(x, 'ln_pre');

  for (let l = 0; l < layers; l++) {
    const p = `block${l}`;
    const h = layerNorm(x, `${p}.ln_1`);
    const qkv = linear(h, `${p}.attn.in_proj`, width, 3 * width);
    const split = add(
      'Transpose',
      [add('Reshape', [qkv, shape(`${p}.qkv_shape`, [0, tokens, 3, heads, width / heads])], `${p}.qkv_heads`)],
      `${p}.qkv_t`,
      [intsAttribute('perm', [2, 0, 3, 1, 4])],
    );
    nodes.push(node('Split', [split], [`${p}.q3`, `${p}.k3`, `${p}.v3`], [intAttribute('axis', 0)]));
    const [q, k, v] = ['q', 'k', 'v'].map((n) => add('Squeeze', [`${p}.${n}3`, shape(`${p}.${n}_axes`, [0])], `${p}.${n}`));
    const kT = add('Transpose', [k!], `${p}.kT`, [intsAttribute('perm', [0, 1, 3, 2])]);
    const scores = add(
      'Mul',
      [add('MatMul', [q!, kT], `${p}.qk`), weight(`${p}.scale`, [1], 0, 1 / Math.sqrt(width / heads))],
      `${p}.scores`,
    );
    const attention = add('MatMul', [add('Softmax', [scores], `${p}.softmax`, [intAttribute('axis', -1)]), v!], `${p}.attended`);
    const merged = add(
      'Reshape',
      [
        add('Transpose', [attention], `${p}.attended_t`, [intsAttribute('perm', [0, 2, 1, 3])]),
        shape(`${p}.merge_shape`, [0, tokens, width]),
      ],
      `${p}.merged`,
    );
    x = add('Add', [x, linear(merged, `${p}.attn.out_proj`, width, width)], `${p}.residual_1`);
    const h2 = linear(layerNorm(x, `${p}.ln_2`), `${p}.mlp.c_fc`, width, mlp);
    const gelu = add(
      'Mul',
      [h2, add('Sigmoid', [add('Mul', [h2, weight(`${p}.gelu`, [1], 0, 1.702)], `${p}.gelu_in`)], `${p}.gelu_gate`)],
      `${p}.gelu_out`,
    ); // QuickGELU
    x = add('Add', [x, linear(gelu, `${p}.mlp.c_proj`, mlp, width)], `${p}.residual_2`);
  }

  const classOut = add('Gather', [x, shape('class_index', [0])], 'class_out', [intAttribute('axis', 1)]);
  const pooled = add('Reshape', [layerNorm(classOut, 'ln_post'), shape('pooled_shape', [0, width])], 'pooled');
  add('MatMul', [pooled, weight('proj', [width, output])], 'embedding');
  return encodeModel(
    {
      name: 'clip_vit_b32_visual_random',
      input: [valueInfo('image', FLOAT, ['batch', 3, imageSize, imageSize])],
      output: [valueInfo('embedding', FLOAT, ['batch', output])],
      initializer,
      node: nodes,
    },
    17,
  );
}

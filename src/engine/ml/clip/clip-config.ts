import { z } from 'zod';
import type { ClipModelEntry } from '../../models/manifest-schema';

/**
 * The parts of a manifest `clip` block that the models schema leaves open (it is passthrough): which
 * file roles hold the two encoders and what their graph inputs/outputs are called. Defaults follow
 * Immich's exports (visual/model.onnx: `image` → `embedding`; textual/model.onnx: int32 `text` →
 * `embedding`), so a new export only needs a manifest line when it differs.
 */
const encoderSchema = (defaults: { role: string; input: string; output: string }) =>
  z
    .object({
      role: z.string().min(1).default(defaults.role),
      input: z.string().min(1).default(defaults.input),
      /** Absent output name: the graph's first output. */
      output: z.string().min(1).optional(),
    })
    .default({ role: defaults.role, input: defaults.input });

const clipExtrasSchema = z.object({
  visual: encoderSchema({ role: 'visual', input: 'image', output: 'embedding' }),
  textual: encoderSchema({ role: 'textual', input: 'text', output: 'embedding' }),
  /** Names of the text encoder's inputs: token ids first, then optionally `attention_mask` (M-CLIP). */
  textInputs: z.array(z.string().min(1)).min(1).optional(),
  /** Immich's exports take int32 ids; some others take int64. */
  textInputType: z.enum(['int32', 'int64']).default('int32'),
  /** Role of a Hugging Face tokenizer_config.json, whose `pad_token` wins over `padToken`. */
  tokenizerConfig: z.string().default('tokenizer-config'),
  /** open_clip pads with `<|endoftext|>`; OpenAI's original code pads with id 0. */
  padToken: z.string().default('<|endoftext|>'),
});

export interface ClipConfig {
  modelId: string;
  imageSize: number;
  resizeMode: 'shortest' | 'squash';
  crop: 'center' | 'none';
  mean: [number, number, number];
  std: [number, number, number];
  contextLength: number;
  embeddingDim: number;
  tokenizerRole: string;
  promptTemplate: string;
  defaultMinScore: number;
  /** CLIP's learned temperature (exp(logit_scale) ≈ 100 for OpenAI weights); used to calibrate tags. */
  logitScale: number;
  visual: { role: string; input: string; output?: string };
  textual: { role: string; input: string; output?: string; inputType: 'int32' | 'int64'; attentionMask?: string };
  tokenizerConfigRole: string;
  padToken: string;
}

export function clipConfigFromEntry(entry: ClipModelEntry): ClipConfig {
  const extras = clipExtrasSchema.parse(entry.clip);
  const clip = entry.clip;
  return {
    modelId: entry.id,
    imageSize: clip.imageSize,
    resizeMode: clip.resizeMode,
    crop: clip.crop,
    mean: clip.mean,
    std: clip.std,
    contextLength: clip.contextLength,
    embeddingDim: clip.embeddingDim,
    tokenizerRole: clip.tokenizer,
    promptTemplate: clip.promptTemplate,
    defaultMinScore: clip.defaultMinScore,
    logitScale: clip.logitScale ?? 100,
    visual: extras.visual,
    textual: {
      ...extras.textual,
      input: extras.textInputs?.[0] ?? extras.textual.input,
      inputType: extras.textInputType,
      ...(extras.textInputs?.includes('attention_mask') ? { attentionMask: 'attention_mask' } : {}),
    },
    tokenizerConfigRole: extras.tokenizerConfig,
    padToken: extras.padToken,
  };
}

/** "a photo of {}" + "dog" → "a photo of dog". */
export function applyPromptTemplate(template: string, text: string): string {
  return template.replace('{}', text);
}

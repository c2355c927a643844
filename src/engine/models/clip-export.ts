import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FacetError } from '../../common/errors';
import type { ClipModelEntry } from './manifest-schema';

/** The files of an Immich / open_clip ONNX CLIP export, by the role Facet gives each. */
export const CLIP_EXPORT_FILES = {
  config: 'config.json',
  visual: 'visual/model.onnx',
  'preprocess-config': 'visual/preprocess_cfg.json',
  textual: 'textual/model.onnx',
  tokenizer: 'textual/tokenizer.json',
  'tokenizer-config': 'textual/tokenizer_config.json',
} as const;

const rgb = z.tuple([z.number(), z.number(), z.number()]);
/** open_clip's model config (Immich ships it as config.json): the embedding size and text context. */
const openClipConfig = z.object({
  embed_dim: z.number().int().positive(),
  vision_cfg: z.object({ image_size: z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])]) }).passthrough(),
  text_cfg: z.object({ context_length: z.number().int().positive().default(77) }).passthrough(),
});
/** open_clip's preprocessing (visual/preprocess_cfg.json). */
const preprocessConfig = z.object({
  size: z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])]),
  mean: rgb,
  std: rgb,
  resize_mode: z.enum(['shortest', 'squash', 'longest']).default('shortest'),
});

function readJson<T>(folder: string, name: string, schema: z.ZodType<T>): T {
  const file = path.join(folder, name);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FacetError('invalid_argument', `${file} is not readable JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FacetError('invalid_argument', `${file} is not an open_clip ${name}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

const size = (s: number | [number, number]) => (Array.isArray(s) ? s[0] : s);

/**
 * Reads an export's dimension and preprocessing into a manifest entry (files still at their source;
 * their sha256 and bytes are added when installed). A missing file or malformed config is a clear error.
 */
export function readClipExport(folder: string, id: string): ClipModelEntry {
  const missing = Object.values(CLIP_EXPORT_FILES).filter((name) => !fs.existsSync(path.join(folder, name)));
  if (missing.length) {
    throw new FacetError('invalid_argument', `${folder} is not an Immich/open_clip CLIP export: missing ${missing.join(', ')} (expected ${Object.values(CLIP_EXPORT_FILES).join(', ')}).`);
  }
  const config = readJson(folder, CLIP_EXPORT_FILES.config, openClipConfig);
  const preprocess = readJson(folder, CLIP_EXPORT_FILES['preprocess-config'], preprocessConfig);
  const imageSize = size(preprocess.size);
  if (imageSize !== size(config.vision_cfg.image_size)) {
    throw new FacetError('invalid_argument', `${folder}: config.json says images of ${size(config.vision_cfg.image_size)} px, preprocess_cfg.json ${imageSize} px.`);
  }
  return {
    id,
    task: 'clip',
    title: `${path.basename(path.resolve(folder))} (added by the user)`,
    licence: 'as given by its source (added by the user)',
    default: false,
    files: Object.entries(CLIP_EXPORT_FILES).map(([role, name]) => ({ name, role, url: `file://${path.resolve(folder, name)}` })),
    input: { name: 'image', size: [imageSize, imageSize], channelOrder: 'RGB', scale: 1 / 255, mean: preprocess.mean, std: preprocess.std, layout: 'NCHW' },
    outputDim: config.embed_dim,
    clip: {
      imageSize,
      resizeMode: preprocess.resize_mode === 'squash' ? 'squash' : 'shortest',
      crop: preprocess.resize_mode === 'squash' ? 'none' : 'center',
      mean: preprocess.mean,
      std: preprocess.std,
      contextLength: config.text_cfg.context_length,
      embeddingDim: config.embed_dim,
      tokenizer: 'tokenizer',
      promptTemplate: 'a photo of {}',
      defaultMinScore: 0.2,
      logitScale: 100,
    },
  };
}

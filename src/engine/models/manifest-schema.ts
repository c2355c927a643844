import { z } from 'zod';

/**
 * Schema of `models/manifest.json`: which models Facet knows, where to download them, how to verify
 * them and how to feed them. The task blocks are `passthrough` on purpose: the engineers who consume
 * them (faces, people, search) may add fields without a change here.
 */

export const MODEL_TASKS = ['face-detection', 'face-embedding', 'clip', 'object-detection', 'text-detection', 'text-recognition'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits');
const rgbTriple = z.tuple([z.number(), z.number(), z.number()]);

export const modelFileSchema = z.object({
  /** Path of the file inside the model's folder; its basename is what `--models DIR` is searched for. */
  name: z
    .string()
    .min(1)
    .refine((n) => !n.startsWith('/') && !n.split(/[\\/]/).includes('..'), 'file names stay inside the model folder'),
  role: z.string().min(1),
  url: z.url(),
  bytes: z.number().int().positive().optional(),
  /** Absent: the download is verified against the host's Git LFS ETag (sha256) or git blob ETag (sha1). */
  sha256: sha256Hex.optional(),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

export const modelInputSchema = z
  .object({
    /** [width, height]; null where the model takes any size (e.g. multiples of `sizeMultiple`). */
    size: z.tuple([z.number().int().positive(), z.number().int().positive()]).nullable(),
    sizeMultiple: z.number().int().positive().optional(),
    channelOrder: z.enum(['RGB', 'BGR']),
    /** Applied as (pixel * scale - mean) / std with pixels in 0..255 (scale defaults to 1). */
    scale: z.number().positive().optional(),
    mean: rgbTriple,
    std: rgbTriple,
    layout: z.enum(['NCHW', 'NHWC']),
    name: z.string().optional(),
  })
  .passthrough();

/** A distance distribution measured offline; loose so the people engineer can choose its shape. */
const distanceDistribution = z.record(z.string(), z.unknown());
export const facePriorsSchema = z
  .object({ sameDistance: distanceDistribution, diffDistance: distanceDistribution })
  .passthrough();

export const clipConfigSchema = z
  .object({
    imageSize: z.number().int().positive(),
    resizeMode: z.enum(['shortest', 'squash']),
    crop: z.enum(['center', 'none']),
    /** In 0..1 units (pixels / 255), as open_clip writes them. */
    mean: rgbTriple,
    std: rgbTriple,
    contextLength: z.number().int().positive(),
    embeddingDim: z.number().int().positive(),
    /** Role of the file holding the Hugging Face `tokenizer.json`. */
    tokenizer: z.string().min(1),
    promptTemplate: z.string().includes('{}'),
    defaultMinScore: z.number(),
    logitScale: z.number().optional(),
  })
  .passthrough();

const baseEntry = {
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case, digits, dot, dash, underscore'),
  title: z.string().min(1),
  licence: z.string().min(1),
  default: z.boolean(),
  note: z.string().optional(),
  files: z.array(modelFileSchema).min(1),
  input: modelInputSchema,
  outputDim: z.number().int().positive(),
  /**
   * Shipped inside an npm package (no download): the files are looked up in `<package>/<dir>` after
   * the --models folder and the library. The URLs stay, for fetching a copy elsewhere.
   */
  embedded: z.object({ package: z.string().min(1), dir: z.string().min(1) }).optional(),
};

export const modelEntrySchema = z.discriminatedUnion('task', [
  z.object({ ...baseEntry, task: z.literal('face-detection') }).passthrough(),
  z.object({ ...baseEntry, task: z.literal('face-embedding'), priors: facePriorsSchema.optional() }).passthrough(),
  z.object({ ...baseEntry, task: z.literal('clip'), clip: clipConfigSchema }).passthrough(),
  z.object({ ...baseEntry, task: z.literal('object-detection') }).passthrough(),
  z.object({ ...baseEntry, task: z.literal('text-detection') }).passthrough(),
  z.object({ ...baseEntry, task: z.literal('text-recognition'), languages: z.array(z.string().min(2)).min(1) }).passthrough(),
]);
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type ClipModelEntry = Extract<ModelEntry, { task: 'clip' }>;
export type FaceEmbeddingModelEntry = Extract<ModelEntry, { task: 'face-embedding' }>;

export const modelManifestSchema = z
  .object({
    version: z.literal(1),
    /**
     * Hosts a download may be redirected to (a host or any subdomain of it): GitHub and Hugging Face
     * answer a file URL with a redirect to their content CDN, whose exact name varies.
     */
    redirectHosts: z.array(z.string().min(1)).optional(),
    models: z.array(modelEntrySchema).min(1),
  })
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    for (const model of manifest.models) {
      if (seen.has(model.id)) ctx.addIssue({ code: 'custom', message: `duplicate model id ${model.id}` });
      seen.add(model.id);
      const names = model.files.map((f) => f.name);
      if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', message: `${model.id}: duplicate file names` });
      const roles = model.files.map((f) => f.role);
      if (new Set(roles).size !== roles.length) ctx.addIssue({ code: 'custom', message: `${model.id}: duplicate file roles` });
      if (model.task === 'clip' && !roles.includes(model.clip.tokenizer)) {
        ctx.addIssue({ code: 'custom', message: `${model.id}: clip.tokenizer names role "${model.clip.tokenizer}", which no file has` });
      }
    }
    // Tasks Facet runs need exactly one default; a task nothing runs yet (object detection) may have none.
    for (const task of new Set(manifest.models.map((m) => m.task))) {
      const defaults = manifest.models.filter((m) => m.task === task && m.default).length;
      const required = task !== 'object-detection';
      if (defaults > 1 || (required && defaults !== 1)) ctx.addIssue({ code: 'custom', message: `task ${task} needs exactly one default model, has ${defaults}` });
    }
  });
export type ModelManifest = z.infer<typeof modelManifestSchema>;

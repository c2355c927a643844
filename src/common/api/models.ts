import { z } from 'zod';
import { channel } from './channel';

export type ModelTaskName = 'face-detection' | 'face-embedding' | 'clip' | 'object-detection' | 'text-detection' | 'text-recognition';

/** `facet models --json`: one object per model of the manifest. */
export interface ModelStatus {
  id: string;
  task: ModelTaskName;
  title: string;
  default: boolean;
  /** Every file of the model is present (its checksum is checked when the model is first used). */
  installed: boolean;
  /** Total size: the manifest's sizes, or the files on disk when installed; null where unknown. */
  bytes: number | null;
  /** Folder the model is used from (the --models folder or the library's models/<id>), or null. */
  location: string | null;
  /** 'user': added with `facet models add` (not in Facet's manifest). */
  source: 'manifest' | 'user';
}

export interface ModelVerification {
  id: string;
  ok: boolean;
  /** `model_missing` or `model_corrupt` with a message saying what to do; absent when ok. */
  error?: { code: 'model_missing' | 'model_corrupt'; message: string };
}

/** Model ids as written in models/manifest.json. */
export const modelId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Not a model id.')
  .describe('model id');

export const modelsChannels = {
  'models.list': channel<ModelStatus[]>('main')(z.object({}).strict()),
  /** Resolves when every file is downloaded and verified; progress arrives as `models.downloadProgress` events. */
  'models.download': channel<ModelStatus>('worker')(z.object({ id: modelId }).strict()),
  /** Deletes the library's copy only (a --models folder is the user's and is never touched). */
  'models.remove': channel<{ removed: boolean }>('worker')(z.object({ id: modelId }).strict()),
  'models.verify': channel<ModelVerification>('worker')(z.object({ id: modelId }).strict()),
  /** The default model of every face task, in one call (the first-run button); progress as `models.downloadProgress`. */
  'models.downloadDefaults': channel<ModelStatus[]>('worker')(z.object({}).strict()),
  /** Installs a model from a folder (an Immich/open_clip CLIP export): checked, hashed, copied into the library. */
  'models.add': channel<ModelStatus>('worker')(z.object({ folder: z.string().min(1).max(4096), id: modelId.optional() }).strict()),
} as const;

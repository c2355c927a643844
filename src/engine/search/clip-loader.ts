import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import { ClipModel, sharedSessionFactory } from '../ml/clip/clip-model';
import type { Device } from '../../common/api/device';
import type { ClipModelEntry } from '../models/manifest-schema';
import type { ModelManager } from '../models/model-manager';
import { activeImageModel } from './active-model';

/** Loaded CLIP models per model manager (one per open engine), so a session opens once. */
const loaded = new WeakMap<ModelManager, Map<string, Promise<ClipModel>>>();

/** Resolves (sha256-verified by the model manager) and loads a CLIP model; cached per manager. */
export function loadClipModel(models: ModelManager, device: Device, id: string): Promise<ClipModel> {
  const perManager = loaded.get(models) ?? new Map<string, Promise<ClipModel>>();
  loaded.set(models, perManager);
  let pending = perManager.get(`${id}\0${device}`);
  if (!pending) {
    pending = (async () => {
      const entry = models.entry(id);
      if (entry.task !== 'clip') throw new FacetError('invalid_argument', `${id} is a ${entry.task} model, not a CLIP model.`);
      const resolved = await models.resolve(id);
      return ClipModel.load(entry as ClipModelEntry, resolved.files, sharedSessionFactory(device));
    })();
    pending.catch(() => perManager.delete(`${id}\0${device}`)); // a model downloaded or repaired later must load
    perManager.set(`${id}\0${device}`, pending);
  }
  return pending;
}

/**
 * The CLIP model search should use: among the installed CLIP models (the manifest default first),
 * the one whose vectors cover the most photos, so a model being backfilled takes over only when it
 * is complete. With none installed, the error says how to get the default one.
 */
export function searchModelId(library: Library, models: ModelManager): string {
  const fallback = models.defaultFor('clip');
  const installed = models.installedFor('clip').map((m) => m.id).sort((a, b) => Number(b === fallback.id) - Number(a === fallback.id));
  if (installed.length === 0) {
    throw new FacetError(
      'model_missing',
      `No CLIP model is installed, so photos cannot be searched by text yet. Download one with: facet models download ${fallback.id} (then run facet index to embed your photos).`,
    );
  }
  return activeImageModel(library.db, installed) ?? installed[0]!;
}

export async function loadSearchModel(library: Library, models: ModelManager, device: Device): Promise<ClipModel> {
  return loadClipModel(models, device, searchModelId(library, models));
}

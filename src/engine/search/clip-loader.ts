import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import { ClipModel, sharedSessionFactory } from '../ml/clip/clip-model';
import type { Device } from '../../common/api/device';
import type { SessionPool } from '../ml/runtime/session-pool';
import type { ClipModelEntry } from '../models/manifest-schema';
import type { ModelManager } from '../models/model-manager';
import { activeImageModel } from './active-model';

/** Library setting: the CLIP model the user installed or chose last (wins a tie in coverage). */
export const PREFERRED_CLIP_SETTING = 'search.preferredClipModel';

/**
 * The CLIP models of one engine, each loaded once (sha256-verified by the model manager) on the
 * engine's session pool; owned by the engine context and dropped with it, never module-level.
 */
export class ClipModels {
  private readonly loaded = new Map<string, Promise<ClipModel>>();

  constructor(
    private readonly models: ModelManager,
    private readonly sessions: SessionPool,
    private readonly device: Device,
  ) {}

  load(id: string): Promise<ClipModel> {
    let pending = this.loaded.get(id);
    if (!pending) {
      pending = (async () => {
        const entry = this.models.entry(id);
        if (entry.task !== 'clip') throw new FacetError('invalid_argument', `${id} is a ${entry.task} model, not a CLIP model.`);
        const resolved = await this.models.resolve(id);
        return ClipModel.load(entry as ClipModelEntry, resolved.files, sharedSessionFactory(this.device, this.sessions));
      })();
      pending.catch(() => this.loaded.delete(id)); // a model downloaded or repaired later must load
      this.loaded.set(id, pending);
    }
    return pending;
  }

  /** The model search reads (see searchModelId), loaded. */
  search(library: Library): Promise<ClipModel> {
    return this.load(searchModelId(library, this.models));
  }

  get loadedIds(): string[] {
    return [...this.loaded.keys()];
  }

  clear(): void {
    this.loaded.clear(); // the sessions themselves belong to the pool, released with it
  }
}

/**
 * The CLIP model search should use: among the installed CLIP models, the one whose vectors cover the
 * most photos; on a tie the one installed or chosen last (else the manifest default). So search stays on
 * the old model while a new one is backfilled, and moves over once the new one covers as much.
 */
export function searchModelId(library: Library, models: ModelManager): string {
  const fallback = models.defaultFor('clip');
  const preferred = library.getSetting(PREFERRED_CLIP_SETTING) ?? fallback.id;
  const installed = models
    .installedFor('clip')
    .map((m) => m.id)
    .sort((a, b) => Number(b === preferred) - Number(a === preferred) || Number(b === fallback.id) - Number(a === fallback.id));
  if (installed.length === 0) {
    throw new FacetError(
      'model_missing',
      `No CLIP model is installed, so photos cannot be searched by text yet. Download one with: facet models download ${fallback.id} (or add one with: facet models add <folder>; facet index then embeds your photos).`,
    );
  }
  return activeImageModel(library.db, installed) ?? installed[0]!;
}

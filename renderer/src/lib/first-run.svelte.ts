import type { ModelStatus } from '../../../src/common/api/models';
import { folders } from './folders.svelte';
import { indexing } from './indexing.svelte';
import { library } from './library.svelte';
import { models } from './models.svelte';

const WELCOMED_KEY = 'facet.welcomed';
const FACE_TASKS = ['face-detection', 'face-embedding'] as const;

/**
 * The welcome sheet of a new library: choose folders with the system picker, get the face models
 * (their size shown, one button, one progress bar), and go. Folders chosen while the models are still
 * downloading start indexing as soon as the download ends, so no run fails on a missing model.
 */
class FirstRun {
  open = $state(false);
  downloading = $state(false);
  /** Folders chosen in the sheet that wait for the face models before indexing. */
  private waiting: number[] = [];

  /** Shown once, to a library with no folders and no photos (closing it, or any folder, ends it). */
  async check(): Promise<void> {
    if (localStorage.getItem(WELCOMED_KEY)) return;
    await Promise.all([folders.load(), models.load(), library.reload()]);
    this.open = folders.list.length === 0 && library.total === 0;
    if (!this.open) localStorage.setItem(WELCOMED_KEY, '1');
  }

  /** The default face detector and embedder of the manifest. */
  get faceModels(): ModelStatus[] {
    return FACE_TASKS.map((task) => models.list.find((m) => m.task === task && m.default)).filter((m): m is ModelStatus => m !== undefined);
  }

  get faceModelsInstalled(): boolean {
    const face = this.faceModels;
    return face.length === FACE_TASKS.length && face.every((m) => m.installed);
  }

  /** What the download costs, of the models still missing. */
  get bytesToDownload(): number {
    return this.faceModels.filter((m) => !m.installed).reduce((sum, m) => sum + (m.bytes ?? 0), 0);
  }

  /** Across the face models: received bytes of the running download plus the ones already installed. */
  get downloadFraction(): number {
    const total = this.faceModels.reduce((sum, m) => sum + (m.bytes ?? 0), 0);
    if (total === 0) return 0;
    const received = this.faceModels.reduce(
      (sum, m) => sum + (m.installed ? (m.bytes ?? 0) : (models.downloads[m.id]?.receivedBytes ?? 0)),
      0,
    );
    return Math.min(1, received / total);
  }

  /**
   * Downloads the missing face models with one call to the engine's "download defaults" (the same as
   * `facet models download --defaults`: each file verified by its checksum, intact ones skipped).
   */
  async downloadFaceModels(): Promise<void> {
    if (this.downloading) return;
    this.downloading = true;
    try {
      if (models.list.length === 0) await models.load();
      await models.downloadDefaults(this.faceModels.filter((m) => !m.installed).map((m) => m.id));
    } finally {
      this.downloading = false;
      if (this.faceModelsInstalled) this.startWaiting();
    }
  }

  async chooseFolder(): Promise<void> {
    // Without the face models an index run would fail at once: hold the folder until they arrive.
    const ready = this.faceModelsInstalled;
    const folder = await folders.pickAndAdd({ index: ready });
    if (folder && !ready) this.waiting.push(folder.id);
  }

  /** Closes the sheet; folders still waiting are indexed now (without models, the error says what to do). */
  finish(): void {
    this.open = false;
    localStorage.setItem(WELCOMED_KEY, '1');
    if (!this.downloading) this.startWaiting();
  }

  private startWaiting(): void {
    const ids = this.waiting;
    this.waiting = [];
    if (ids.length > 0) void indexing.start(ids);
  }
}

export const firstRun = new FirstRun();

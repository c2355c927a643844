import { z } from 'zod';
import { channel } from './channel';
import { photoId } from './ids';
import { deviceSchema } from './device';

/**
 * FACET_MODEL_MIRROR in Settings: models are fetched from `<url>/<model id>/<file name>` (same sha256
 * checks); '' = the manifest's own hosts. Only http(s): plain http serves a LAN mirror.
 */
const modelMirror = z.union([
  z.literal(''),
  z
    .string()
    .trim()
    .max(2048)
    .url('The model mirror must be a URL, e.g. https://models.example.org/facet.')
    .refine((s) => /^https?:\/\//i.test(s), 'The model mirror must be an http or https URL.'),
]);

const settingFields = {
  language: z.enum(['system', 'en', 'ko']),
  theme: z.enum(['system', 'light', 'dark']),
  device: deviceSchema,
  modelMirror,
};

/** What the user chose in Settings; persisted by the app (a JSON file beside the library). */
export const settingsSchema = z.object({
  language: settingFields.language.default('system'),
  theme: settingFields.theme.default('system'),
  device: settingFields.device.default('auto'),
  modelMirror: settingFields.modelMirror.default(''),
});
export type Settings = z.output<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** Only web pages leave the app: no file:, javascript: or custom schemes reach the OS opener. */
const externalUrl = z
  .string()
  .max(2048)
  .url()
  .refine((s) => /^https?:\/\//i.test(s), 'Only http and https links can be opened.');

export interface AppInfo {
  version: string;
  platform: string;
  libraryPath: string;
}

/**
 * OS integration and settings. These are served by the app's main process (dialogs, shell), not by the
 * engine: the renderer never sees a path it could hand back, only photo ids.
 */
export const appChannels = {
  'app.info': channel<AppInfo>('main')(z.object({}).strict()),
  'settings.get': channel<Settings>('main')(z.object({}).strict()),
  /** A patch: only the fields given change (no defaults here, or setting the theme would reset the language). */
  'settings.set': channel<Settings>('main')(z.object(settingFields).partial().strict()),
  /** Native folder picker; `null` when the user cancels. */
  'app.pickFolder': channel<{ path: string | null }>('main')(z.object({}).strict()),
  'app.showInFolder': channel<{ shown: boolean }>('main')(z.object({ photoId }).strict()),
  /** Opens the original with the system's default viewer. */
  'app.openPhoto': channel<{ opened: boolean }>('main')(z.object({ photoId }).strict()),
  /** Asks the user to confirm, then opens the link in the system browser. */
  'app.openExternal': channel<{ opened: boolean }>('main')(z.object({ url: externalUrl }).strict()),
  /** The background worker's state (it runs indexing and every model); see `worker.status` events. */
  'app.workerStatus': channel<import('./events').WorkerStatus>('main')(z.object({}).strict()),
  /** Starts the background worker again after it crashed too often (the app stops restarting it by itself). */
  'app.restartWorker': channel<import('./events').WorkerStatus>('main')(z.object({}).strict()),
  /**
   * Moves the originals to the system trash (never deletes), after the renderer's own confirmation in
   * the user's language that counts the photos. Main moves only present originals of photos in this
   * library: an unknown or missing id refuses the whole call before anything moves.
   */
  'app.trashPhotos': channel<{ trashed: number[] }>('main')(z.object({ photoIds: z.array(photoId).min(1).max(10_000) }).strict()),
  /** Opens the app's log file (where the engine's own words for every error are kept). */
  'app.openLog': channel<{ opened: boolean }>('main')(z.object({}).strict()),
} as const;

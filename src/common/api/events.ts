import type { IndexProgress } from './library';

/** Events the engine pushes to the app (main → renderer), one payload type per name. */
export interface ApiEvents {
  'index.progress': IndexProgress;
  'library.changed': { reason: 'indexed' | 'people' | 'folders' | 'models' };
  'models.downloadProgress': { modelId: string; receivedBytes: number; totalBytes: number | null };
}
export type EventName = keyof ApiEvents;
export const EVENT_NAMES: EventName[] = ['index.progress', 'library.changed', 'models.downloadProgress'];

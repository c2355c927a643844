import type { Handler } from '../../src/engine/api/dispatch';
import type { SettingsStore } from './settings-store';

/** settings.get / settings.set over a store; no electron import, so the e2e binding uses it as is. */
export function settingsHandlers(store: SettingsStore): {
  'settings.get': Handler<'settings.get'>;
  'settings.set': Handler<'settings.set'>;
} {
  return {
    'settings.get': () => store.get(),
    'settings.set': (_ctx, patch) => store.set(Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))),
  };
}

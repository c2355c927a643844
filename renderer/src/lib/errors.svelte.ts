import type { ErrorCode } from '../../../src/common/errors';
import { call } from './api';
import { t, type MessageKey } from './i18n.svelte';
import { type ToastAction, toasts } from './toast.svelte';

/** What a user can do about an error, each a button on the error's toast or banner. */
export type ErrorActionName = 'getFaceModels' | 'openLog' | 'chooseFolder';

/** The code of an error that crossed the bridge (ApiCallError), or `internal` for anything else. */
export function errorCode(error: unknown): ErrorCode {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (code as ErrorCode) : 'internal';
}

/**
 * The action each code offers. The engine's message says what happened in English with CLI hints;
 * the user gets our translated sentence for the code plus the one thing that fixes it.
 */
const ACTIONS: Partial<Record<ErrorCode, ErrorActionName>> = {
  model_missing: 'getFaceModels',
  model_corrupt: 'getFaceModels',
  offline: 'chooseFolder',
  internal: 'openLog',
  disk_full: 'openLog',
};

/** Where the error happened, when the same code means different things there. */
export type ErrorContext = 'folder' | 'download';

export interface DescribedError {
  code: ErrorCode;
  message: string;
  detail: string;
  action: ErrorActionName | null;
}

/**
 * A translated message for any error. `context` picks a more precise sentence where the same code
 * means different things (a folder that cannot be added is `not_found` or `invalid_argument`).
 */
export function describeError(error: unknown, context?: ErrorContext): DescribedError {
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (context === 'folder' && (code === 'not_found' || code === 'invalid_argument' || code === 'offline' || code === 'unsupported')) {
    return { code, message: t('error.folder'), detail, action: 'chooseFolder' };
  }
  // A download's `offline` is the network (no answer, a stall, an HTTP error), not an unplugged drive.
  if (context === 'download' && code === 'offline') return { code, message: t('error.download'), detail, action: null };
  return { code, message: t(`error.${code}` as MessageKey), detail, action: ACTIONS[code] ?? null };
}

/** What the action buttons do; registered by the app (they need managers this module must not import). */
const handlers: Partial<Record<ErrorActionName, () => Promise<void> | void>> = {
  openLog: async () => {
    await call('app.openLog', {}).catch(() => undefined);
  },
};

export function registerErrorAction(name: ErrorActionName, run: () => Promise<void> | void): void {
  handlers[name] = run;
}

export function errorAction(name: ErrorActionName | null): ToastAction | undefined {
  const run = name ? handlers[name] : undefined;
  return name && run ? { label: t(`error.action.${name}`), run } : undefined;
}

/** Shows an error as a toast that stays until closed, in the user's language, with its action. */
export function showError(error: unknown, context?: ErrorContext): DescribedError {
  const described = describeError(error, context);
  console.error(described.detail);
  const action = errorAction(described.action);
  toasts.show({ message: described.message, detail: described.detail, error: true, ...(action ? { action } : {}) });
  return described;
}

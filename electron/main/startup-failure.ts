import { toApiError } from '../../src/common/result';
import { type Language, type MessageKey, say } from './messages';

export type StartupCause = 'schema_too_new' | 'library_readonly' | 'disk_full' | 'library_busy' | 'native_module' | 'corrupt' | 'other';

/** Sorts a start-up error into the cases the user can act on differently. */
export function startupCause(error: unknown): StartupCause {
  const raw = error as { code?: unknown; message?: unknown } | undefined;
  const text = `${String(raw?.code ?? '')} ${String(raw?.message ?? error)}`;
  // A better-sqlite3 (or other addon) built for another ABI or platform: dlopen fails on load.
  if (
    /ERR_DLOPEN_FAILED|NODE_MODULE_VERSION|invalid ELF header|not a valid Win32 application|Could not locate the bindings file|wrong ELF class/i.test(
      text,
    )
  )
    return 'native_module';
  if (/SQLITE_CORRUPT|SQLITE_NOTADB|file is not a database|disk image is malformed/i.test(text)) return 'corrupt';
  const { code } = toApiError(error);
  if (code === 'schema_too_new' || code === 'library_readonly' || code === 'disk_full' || code === 'library_busy') return code;
  if (/EACCES|EPERM|EROFS|ENOTDIR|EEXIST/.test(text)) return 'library_readonly';
  return 'other';
}

export interface StartupFailureDialog {
  type: 'error';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: true;
}

/** Button indexes of the start-up failure dialog. */
export const QUIT = 0;
export const OPEN_OTHER_LIBRARY = 1;

/** The native dialog shown when start-up fails: what failed, what to try, where the log is. */
export function startupFailureDialog(
  error: unknown,
  context: { language: Language; library: string; logFile: string },
): StartupFailureDialog {
  const { language, library, logFile } = context;
  const cause = startupCause(error);
  const values = { library, log: logFile, error: toApiError(error).message };
  return {
    type: 'error',
    title: say(language, 'startup.title'),
    message: say(language, `cause.${cause}` as MessageKey, values),
    detail: [
      say(language, `try.${cause}` as MessageKey, values),
      say(language, 'startup.error', values),
      say(language, 'startup.log', values),
    ].join('\n\n'),
    buttons: [say(language, 'startup.quit'), say(language, 'startup.openOther')],
    defaultId: QUIT,
    cancelId: QUIT,
    noLink: true,
  };
}

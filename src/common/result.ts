import { type ErrorCode, FacetError, ERROR_CODES } from './errors';

/**
 * The envelope every API call returns. Electron's ipcMain.handle drops everything but the message of a
 * thrown error (electron#24427), so errors travel as values instead.
 */
export type ApiError = { code: ErrorCode; message: string };
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/**
 * A message crossing a boundary is capped: validation errors quote the offending input (zod's
 * "Unrecognized key: ..."), and a hostile or buggy caller must not get a 100 kB key echoed into the
 * envelope, the log and the UI.
 */
export const MAX_ERROR_MESSAGE = 1000;

function capped(message: string): string {
  return message.length <= MAX_ERROR_MESSAGE ? message : `${message.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
}

export function toApiError(error: unknown): ApiError {
  const { code, message } = describeError(error);
  return { code, message: capped(message) };
}

function describeError(error: unknown): ApiError {
  if (error instanceof FacetError) return { code: error.code, message: error.message };
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return { code: 'library_busy', message: 'The library is busy: another Facet process is writing to it. Try again in a moment.' };
  }
  // sqlite-vec hides SQLITE_FULL behind a generic error when it cannot grow a vector table.
  const vectorTableFull = code === 'SQLITE_ERROR' && /could not insert a new vector chunk/i.test((error as Error)?.message ?? '');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || vectorTableFull) {
    return { code: 'disk_full', message: 'The disk is full: free some space and try again. Nothing was lost.' };
  }
  if (code === 'SQLITE_READONLY' || code === 'EROFS' || code === 'EACCES') {
    return { code: 'library_readonly', message: 'The library cannot be written (read-only folder or disk).' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}

export function fail(error: unknown): Result<never> {
  return { ok: false, error: toApiError(error) };
}

/** Turns an envelope back into a value or a thrown FacetError, for callers that prefer exceptions. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const code = (ERROR_CODES as readonly string[]).includes(result.error.code) ? result.error.code : 'internal';
  throw new FacetError(code, result.error.message);
}

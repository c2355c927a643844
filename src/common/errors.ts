/**
 * Errors that cross a boundary (IPC, CLI, tests) carry a stable machine-readable code plus a message
 * written for the user. Anything else thrown inside the engine is reported as `internal`.
 */
export const ERROR_CODES = [
  'invalid_argument',
  'not_found',
  'conflict',
  'library_busy',
  'library_readonly',
  'disk_full',
  'schema_too_new',
  'model_missing',
  'model_corrupt',
  'unsupported',
  'offline',
  'cancelled',
  'worker_unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class FacetError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FacetError';
  }
}

export function isFacetError(error: unknown): error is FacetError {
  return error instanceof FacetError;
}

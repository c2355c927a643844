import { z } from 'zod';

/** Library ids are positive integers; anything else (paths, negative, floats, strings) is rejected. */
export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const photoId = id.describe('photo id');
export const faceId = id.describe('face id');
export const personId = id.describe('person id');

/** A person's name: trimmed, non-empty, at most 200 characters, no control characters. */
export const personName = z
  .string()
  .trim()
  .min(1, 'A name cannot be empty.')
  .max(200, 'A name can be at most 200 characters.')
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'A name cannot contain control characters.');

/** A calendar date, YYYY-MM-DD, that exists (2025-02-30 does not). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates are YYYY-MM-DD.')
  .refine(isRealDay, "Not a real day (check the month's length).");

/** Date.parse would roll 2025-02-30 over to 2 March; a real day survives the round trip through Date.UTC. */
export function isRealDay(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

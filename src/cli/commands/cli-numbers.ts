import { isRealDay } from '../../common/api/ids';
import { FacetError } from '../../common/errors';

/** Commander option parsers that reject what Number() or Date.parse would quietly accept ("12abc", "", "1e9", "2025-02-30"). */
export function positiveInt(name: string, max = 1_000_000_000): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > max)
      throw new FacetError('invalid_argument', `${name} must be a whole number from 1 to ${max} (got "${value}").`);
    return Number(value);
  };
}

export function scoreValue(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < -1 || n > 1)
      throw new FacetError('invalid_argument', `${name} must be a number from -1 to 1 (got "${value}").`);
    return n;
  };
}

/** A calendar day, YYYY-MM-DD, that exists. */
export function dayValue(name: string): (value: string) => string {
  return (value) => {
    const day = value.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
      throw new FacetError('invalid_argument', `${name} must be a date written YYYY-MM-DD (got "${value}").`);
    if (!isRealDay(day)) throw new FacetError('invalid_argument', `${name} ${day} is not a real day (check the month's length).`);
    return day;
  };
}

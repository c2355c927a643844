import { FacetError } from '../../common/errors';

/** Commander option parsers that reject what Number() would quietly accept ("12abc", "", "1e9"). */
export function positiveInt(name: string, max = 1_000_000_000): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > max) throw new FacetError('invalid_argument', `${name} must be a whole number from 1 to ${max} (got "${value}").`);
    return Number(value);
  };
}

export function scoreValue(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < -1 || n > 1) throw new FacetError('invalid_argument', `${name} must be a number from -1 to 1 (got "${value}").`);
    return n;
  };
}

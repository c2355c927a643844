import { FacetError } from '../../common/errors';

export type PeopleTarget = { kind: 'face' | 'person'; id: number };

/**
 * `facet name <faceId|personId>`: `face:12` and `person:3` say which; a bare number is a FACE id,
 * because naming a face is the common act (it names the face's whole unnamed cluster anyway) and
 * `facet faces --json` is where ids are read from.
 */
export function parseTarget(value: string): PeopleTarget {
  const match = /^(?:(face|person):)?(\d{1,15})$/i.exec(value.trim());
  if (!match || Number(match[2]) < 1)
    throw new FacetError('invalid_argument', `Expected a face id, face:<id> or person:<id> (got "${value.slice(0, 40)}").`);
  return { kind: (match[1]?.toLowerCase() ?? 'face') as PeopleTarget['kind'], id: Number(match[2]) };
}

/** A face or person id; the `face:`/`person:` prefix is accepted where it matches. */
export function parseId(kind: 'face' | 'person'): (value: string) => number {
  return (value) => {
    const target = parseTarget(value.includes(':') ? value : `${kind}:${value}`);
    if (target.kind !== kind) throw new FacetError('invalid_argument', `Expected a ${kind} id (got "${value.slice(0, 40)}").`);
    return target.id;
  };
}

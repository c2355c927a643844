import type { Box } from '../../../src/common/api';
import { call } from './api';

/**
 * Per-photo facts the face crops need, fetched once per photo: the original's pixel size (face boxes
 * are in original pixels, the crop is drawn from the smaller thumbnail) and its faces' boxes (a
 * suggestion names only a face id).
 */
interface PhotoFacts {
  width: number;
  height: number;
  boxes: Map<number, Box>;
}
const cache = new Map<number, Promise<PhotoFacts | null>>();

export function photoFacts(photoId: number): Promise<PhotoFacts | null> {
  let facts = cache.get(photoId);
  if (!facts) {
    facts = call('library.photo', { id: photoId }).then(
      (p) => (p.width && p.height ? { width: p.width, height: p.height, boxes: new Map(p.faces.map((f) => [f.id, f.box])) } : null),
      () => null,
    );
    cache.set(photoId, facts);
  }
  return facts;
}

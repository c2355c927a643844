import { perceptualHash } from '../search/perceptual-hash';
import type { PhotoAnalyzer } from './analyzer';

/** The perceptual hash (near-duplicates without any model) from the shared decode. */
export function createPerceptualHashAnalyzer(): PhotoAnalyzer {
  return {
    name: 'perceptual-hash',
    async analyze({ photoId, decoded }) {
      const hash = perceptualHash(decoded.image);
      return (db) => {
        db.prepare('UPDATE photos SET perceptual_hash = ? WHERE id = ?').run(hash, photoId);
      };
    },
  };
}

import { expect, it } from 'vitest';
import { popcount32 } from '../../../src/engine/imaging/perceptual-hash';
import { HashIndex } from '../../../src/engine/search/hash-index';
import { seededRandom } from '../../../bench/seeded-random';

/** Seeded, so the test is the same on every run: 32-bit integers (a power of two scales exactly). */
function generator(seed: number): () => number {
  const random = seededRandom(seed);
  return () => random() * 4294967296;
}

it('finds exactly the hashes an all-pairs comparison finds within the radius', () => {
  const next = generator(7);
  const n = 4000;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % 4 === 0) {
      // a near copy of an earlier hash: 0–16 random bit flips
      const of = next() % i;
      hi[i] = hi[of]!;
      lo[i] = lo[of]!;
      for (let f = next() % 17; f > 0; f--) {
        const bit = next() % 64;
        if (bit < 32) hi[i]! ^= 1 << bit;
        else lo[i]! ^= 1 << (bit - 32);
      }
    } else {
      hi[i] = next();
      lo[i] = next();
    }
  }
  const index = new HashIndex(hi, lo);
  for (const radius of [0, 6, 11]) {
    let found = 0;
    for (let q = 0; q < n; q += 7) {
      const expected = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const d = popcount32(hi[i]! ^ hi[q]!) + popcount32(lo[i]! ^ lo[q]!);
        if (d <= radius) expected.set(i, d);
      }
      const got = new Map<number, number>();
      index.near(hi[q]!, lo[q]!, radius, (entry, distance) => {
        expect(got.has(entry)).toBe(false); // each entry once
        got.set(entry, distance);
      });
      expect(got).toEqual(expected);
      found += got.size - 1;
    }
    if (radius > 0) expect(found).toBeGreaterThan(0); // the planted copies are there to be found
  }
});

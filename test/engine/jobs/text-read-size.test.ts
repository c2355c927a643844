import { describe, expect, it } from 'vitest';
import { detailLongSide, TEXT_READ_LONG_SIDE } from '../../../src/engine/jobs/text-pass';
import type { RelativeRegion } from '../../../src/engine/ml/ocr/text-gate';

// The check looked at a 500×375 decode of a 4000×3000 photo; regions are fractions of its width.
const shape = { width: 500, height: 375, originalLongSide: 4000 };
const line = (heightPx: number): RelativeRegion => [0.5, 0.5, 0.4, heightPx / 500, 0];

describe('the full read decodes only as large as the text the check saw needs', () => {
  it('reads big letters from a quarter-size decode (an exact JPEG shrink, no resize)', () => {
    // A 30 px line at 500 px is 48 px at 800 px: the next shrink-on-load size up is 1/4, 1000 px.
    expect(detailLongSide({ regions: [line(30)], shape })).toBe(1000);
  });

  it('reads small print at the half-size decode, and never larger than TEXT_READ_LONG_SIDE needs', () => {
    expect(detailLongSide({ regions: [line(30), line(6)], shape })).toBe(2000);
    // A 100 MP photo: 1/4 is 3000 px, too large; the cap is decoded with a resize instead.
    expect(detailLongSide({ regions: [line(4)], shape: { ...shape, originalLongSide: 12000 } })).toBe(TEXT_READ_LONG_SIDE);
  });

  it('never decodes smaller than what the check already saw', () => {
    expect(detailLongSide({ regions: [line(300)], shape })).toBe(500);
  });

  it('decodes at TEXT_READ_LONG_SIDE for a check kept by an older run (regions only, no shape)', () => {
    expect(detailLongSide({ regions: [line(30)] })).toBe(TEXT_READ_LONG_SIDE);
  });
});

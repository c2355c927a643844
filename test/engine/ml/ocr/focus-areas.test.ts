import { describe, expect, it } from 'vitest';
import { focusAreas } from '../../../../src/engine/ml/ocr/focus-areas';

const region = (cx: number, cy: number, width: number, height: number, angle = 0) => ({
  score: 0.9,
  rect: { cx, cy, width, height, angle },
});

describe('focus areas: where the full read looks after the low-resolution check', () => {
  it('widens a region by its height on every side, within the image', () => {
    const [area] = focusAreas([region(500, 400, 200, 40)], 1920, 1440)!;
    // 1.5 heights + 8 px on each side: x 400-68 .. 600+68, y 380-68 .. 420+68
    // The detector sees it at 48 / 40 px: never enlarged.
    expect(area).toEqual([332, 312, 336, 176, 1]);
    const [big] = focusAreas([region(500, 400, 400, 96)], 1920, 1440)!;
    expect(big![4]).toBeCloseTo(0.5, 5);
    const [edge] = focusAreas([region(20, 20, 100, 20)], 1920, 1440)!;
    expect(edge![0]).toBe(0);
    expect(edge![1]).toBe(0);
  });

  it('merges areas that overlap, so no line is read twice', () => {
    const areas = focusAreas([region(500, 400, 200, 40), region(560, 450, 200, 30), region(1500, 1200, 100, 20)], 1920, 1440)!;
    expect(areas).toHaveLength(2);
    expect(areas[0]![1]).toBeLessThan(400);
    expect(areas[0]![1] + areas[0]![3]).toBeGreaterThan(465);
  });

  it('reads the whole photo when the text covers much of it, at the scale its smallest text needs', () => {
    // One big line (600 px high) and a small one (24 px): the whole photo, seen at full scale for the small one.
    expect(focusAreas([region(960, 720, 1800, 600), region(960, 1400, 200, 24)], 1920, 1440)).toEqual([[0, 0, 1920, 1440, 1]]);
    // Big letters only: the detector sees the photo shrunk so they are about 48 px high.
    const [whole] = focusAreas([region(960, 720, 1800, 600)], 1920, 1440)!;
    expect(whole!.slice(0, 4)).toEqual([0, 0, 1920, 1440]);
    expect(whole![4]).toBeCloseTo(48 / 600, 5);
  });

  it('has nothing to focus on without regions: the caller reads the whole photo at full detection size', () => {
    expect(focusAreas([], 1920, 1440)).toBeNull();
  });
});

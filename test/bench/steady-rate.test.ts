import { describe, expect, it } from 'vitest';
import { completionRecorder, steadyPhotosPerSecond } from '../../bench/steady-rate';

describe('steadyPhotosPerSecond', () => {
  it('leaves out a slow ramp and drain and measures the rate between them', () => {
    // 32 photos: the first four take 3 s (every decode starts at once), then one every 0.5 s, the last four 4 s.
    const times: number[] = [];
    let now = 0;
    for (let photo = 1; photo <= 32; photo++) {
      now += photo <= 4 ? 3000 : photo > 28 ? 4000 : 500;
      times.push(now);
    }
    // From the 4th completion to the 28th: 24 photos in 24 × 0.5 s.
    expect(steadyPhotosPerSecond(times)).toBeCloseTo(2, 6);
    // The whole run is far slower: the ramp and drain are not a library's pace.
    expect(32 / (now / 1000)).toBeLessThan(1.1);
  });

  it('is not fooled by photos finishing in pairs, as two decoders started together do', () => {
    // 8 photos, two at a time, one pair a second: two photos a second, however the pairs fall.
    const pairs = [1000, 1010, 2000, 2010, 3000, 3010, 4000, 4010];
    expect(steadyPhotosPerSecond(pairs)).toBeGreaterThan(1.8);
    expect(steadyPhotosPerSecond(pairs)).toBeLessThan(2.2);
  });

  it('gives no rate for too few photos or no time between them', () => {
    expect(steadyPhotosPerSecond([1, 2, 3, 4, 5, 6, 7])).toBeNull();
    expect(steadyPhotosPerSecond(new Array(16).fill(5))).toBeNull();
  });

  it('records one time per photo however progress is reported', () => {
    const recorder = completionRecorder();
    recorder.onProgress({ done: 0 });
    recorder.onProgress({ done: 2 }); // two photos finished between reports
    recorder.onProgress({ done: 2 });
    recorder.onProgress({ done: 3 });
    expect(recorder.completedAtMs).toHaveLength(3);
    expect(recorder.completedAtMs[2]).toBeGreaterThanOrEqual(recorder.completedAtMs[0]!);
  });
});

/**
 * Photos per second between the completions of the photo an eighth of the way in and the one an eighth
 * from the end: the rate a long run settles at (the "marginal" rate), without the first photos,
 * whose decodes all start together, or the last ones, when fewer photos are left than cores. A
 * 30,000-photo library spends nearly all its time at this rate; a 32-photo bench run spends a few
 * percent of its time in its ramp and drain. Null with fewer than 8 completions.
 */
export function steadyPhotosPerSecond(completedAtMs: readonly number[]): number | null {
  const count = completedAtMs.length;
  if (count < 8) return null;
  // With 32 photos: from the 4th completion to the 28th, the last four left out as the first four are.
  const skip = Math.ceil(count / 8);
  const first = skip - 1;
  const last = count - skip - 1;
  const seconds = (completedAtMs[last]! - completedAtMs[first]!) / 1000;
  return seconds > 0 ? (last - first) / seconds : null;
}

/** An onProgress listener for an index run that notes when each photo is done (steadyPhotosPerSecond's input). */
export function completionRecorder(): { completedAtMs: number[]; onProgress: (progress: { done: number }) => void } {
  const completedAtMs: number[] = [];
  return {
    completedAtMs,
    onProgress: ({ done }) => {
      while (completedAtMs.length < done) completedAtMs.push(performance.now());
    },
  };
}

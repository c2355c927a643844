/**
 * Photos per second a run settles at (the "marginal" rate): the least-squares slope of photos done
 * against time, over the completions from the one an eighth of the way in to the one an eighth from the end.
 * Left out: the first photos, whose decodes all start together, and the last ones, when fewer photos are
 * left than cores. A 30,000-photo library spends nearly all its time at this rate; a 32-photo bench run
 * spends a few percent of its time in its ramp and drain. A slope, not (last - first) / time between two
 * completions: decoders started together finish in pairs, and two completions a moment apart would count
 * as a whole period's work (on 8 photos that read 25% high). Null with fewer than 8 completions.
 */
export function steadyPhotosPerSecond(completedAtMs: readonly number[]): number | null {
  const count = completedAtMs.length;
  if (count < 8) return null;
  // With 32 photos: from the 4th completion to the 28th, the last four left out as the first four are.
  const skip = Math.ceil(count / 8);
  const points = completedAtMs.slice(skip - 1, count - skip).map((ms, i) => ({ seconds: ms / 1000, done: i }));
  if (points.at(-1)!.seconds <= points[0]!.seconds) return null;
  const meanSeconds = points.reduce((sum, p) => sum + p.seconds, 0) / points.length;
  const meanDone = points.reduce((sum, p) => sum + p.done, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.seconds - meanSeconds) * (p.done - meanDone);
    variance += (p.seconds - meanSeconds) ** 2;
  }
  return variance > 0 ? covariance / variance : null;
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

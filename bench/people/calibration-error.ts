/** Expected calibration error over equal-width confidence bins (Guo et al. 2017). */
export function expectedCalibrationError(items: readonly { confidence: number; correct: boolean }[], bins = 10): number {
  let error = 0;
  for (let b = 0; b < bins; b++) {
    const inBin = items.filter((i) => Math.min(bins - 1, Math.floor(i.confidence * bins)) === b);
    if (inBin.length === 0) continue;
    const accuracy = inBin.filter((i) => i.correct).length / inBin.length;
    const confidence = inBin.reduce((s, i) => s + i.confidence, 0) / inBin.length;
    error += (inBin.length / items.length) * Math.abs(accuracy - confidence);
  }
  return error;
}

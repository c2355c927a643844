/** One recognised text line: the characters and the mean probability of the ones kept. */
export interface DecodedText {
  text: string;
  confidence: number;
}

/**
 * Greedy CTC decoding of a PP-OCR recognition output ([timesteps, classes] per line): the best class
 * per step, repeats merged, blanks (class 0) dropped. Class i ≥ 1 is dictionary[i - 1]; the class after
 * the dictionary is the space (PaddleOCR's use_space_char), so classes = dictionary + 2.
 */
export function ctcGreedyDecode(
  probabilities: Float32Array,
  offset: number,
  timesteps: number,
  classes: number,
  dictionary: readonly string[],
): DecodedText {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < timesteps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestP = probabilities[row]!;
    for (let c = 1; c < classes; c++) {
      const p = probabilities[row + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += best - 1 < dictionary.length ? dictionary[best - 1]! : ' ';
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text: text.trim(), confidence: kept ? sum / kept : 0 };
}

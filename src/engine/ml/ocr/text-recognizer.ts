import { Tensor } from 'onnxruntime-node';
import type { RunnableSession } from '../runtime/worker-sessions';
import { FacetError } from '../../../common/errors';
import { ctcGreedyDecode, type DecodedText } from './ctc-decode';
import { type LineCrop, REC_HEIGHT } from './line-crop';

/** Lines per session run (PaddleOCR's rec_batch_num), sorted by width so padding stays small. */
const BATCH = 6;

/**
 * PP-OCR's CRNN/SVTR line recogniser over an injected session (input `x`, [N,3,48,W]; output
 * [N, W/8, classes] softmax), decoded greedily with the model's own character dictionary.
 */
export class TextRecognizer {
  private constructor(
    private readonly session: RunnableSession,
    readonly dictionary: readonly string[],
  ) {}

  static fromSession(session: RunnableSession, dictionary: readonly string[]): TextRecognizer {
    return new TextRecognizer(session, dictionary);
  }

  /** The text of each line, in the order given. */
  async recognize(lines: readonly LineCrop[]): Promise<DecodedText[]> {
    const order = lines.map((_, i) => i).sort((a, b) => lines[a]!.width - lines[b]!.width);
    const results: DecodedText[] = new Array(lines.length);
    for (let start = 0; start < order.length; start += BATCH) {
      const batch = order.slice(start, start + BATCH);
      const decoded = await this.run(batch.map((i) => lines[i]!));
      batch.forEach((lineIndex, k) => (results[lineIndex] = decoded[k]!));
    }
    return results;
  }

  private async run(batch: LineCrop[]): Promise<DecodedText[]> {
    const width = Math.max(...batch.map((l) => l.width));
    const plane = REC_HEIGHT * width;
    // Zero after normalisation is mid-grey: the padding PaddleOCR's resize_norm_img adds on the right.
    const data = new Float32Array(batch.length * 3 * plane);
    batch.forEach((line, n) => {
      for (let c = 0; c < 3; c++) {
        for (let row = 0; row < REC_HEIGHT; row++) {
          const src = c * REC_HEIGHT * line.width + row * line.width;
          data.set(line.planes.subarray(src, src + line.width), (n * 3 + c) * plane + row * width);
        }
      }
    });
    const outputs = await this.session.run({
      [this.session.inputNames[0]!]: new Tensor('float32', data, [batch.length, 3, REC_HEIGHT, width]),
    });
    const output = outputs[this.session.outputNames[0]!]!;
    const [, timesteps, classes] = output.dims as [number, number, number];
    if (classes !== this.dictionary.length + 2) {
      throw new FacetError(
        'model_corrupt',
        `The text recognition model has ${classes} classes, but its dictionary has ${this.dictionary.length} characters (expected ${classes - 2}).`,
      );
    }
    const probabilities = output.data as Float32Array;
    return batch.map((_, n) => ctcGreedyDecode(probabilities, n * timesteps * classes, timesteps, classes, this.dictionary));
  }
}

/** A PaddleOCR dictionary file: one character per line (the trailing newline is not a character). */
export function parseDictionary(content: string): string[] {
  const lines = content.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

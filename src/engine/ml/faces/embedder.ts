import { Tensor } from 'onnxruntime-node';
import type { RunnableSession } from '../runtime/worker-sessions';
import { ALIGNED_SIZE } from './align';
import { l2Normalize } from '../vector-math';

/**
 * How an embedder wants its aligned crop: channel order, and per-channel mean/std in 0-255 units applied
 * as (value - mean) / std, listed in the model's channel order.
 */
export interface EmbedderInputSpec {
  size: number;
  channelOrder: 'rgb' | 'bgr';
  mean: [number, number, number];
  std: [number, number, number];
}

/** MobileFaceNet-128 (../shared/README.md): RGB, (x - 127.5) / 128. */
export const MOBILEFACENET_INPUT: EmbedderInputSpec = {
  size: ALIGNED_SIZE,
  channelOrder: 'rgb',
  mean: [127.5, 127.5, 127.5],
  std: [128, 128, 128],
};

/**
 * SFace as OpenCV's FaceRecognizerSF feeds it: blobFromImage(alignedBgr, 1, 112x112, 0, swapRB=true),
 * i.e. RGB 0-255 with no mean or scale.
 */
export const SFACE_INPUT: EmbedderInputSpec = { size: ALIGNED_SIZE, channelOrder: 'rgb', mean: [0, 0, 0], std: [1, 1, 1] };

/** Faces per session.run: the models take a dynamic batch; this caps the tensor's memory. */
const MAX_BATCH = 32;

/** Turns aligned 112x112 RGB crops into L2-normalised embeddings with an injected session. */
export class FaceEmbedder {
  private constructor(
    private readonly session: RunnableSession,
    readonly spec: EmbedderInputSpec,
  ) {}

  static fromSession(session: RunnableSession, spec: EmbedderInputSpec = MOBILEFACENET_INPUT): FaceEmbedder {
    return new FaceEmbedder(session, spec);
  }

  /** One unit-length embedding per aligned crop (packed RGB, spec.size square), in the same order. */
  async embed(aligned: Uint8Array[]): Promise<Float32Array[]> {
    const result: Float32Array[] = [];
    for (let start = 0; start < aligned.length; start += MAX_BATCH) {
      result.push(...(await this.embedBatch(aligned.slice(start, start + MAX_BATCH))));
    }
    return result;
  }

  private async embedBatch(crops: Uint8Array[]): Promise<Float32Array[]> {
    if (crops.length === 0) return [];
    const { size } = this.spec;
    const input = new Tensor('float32', this.toInput(crops), [crops.length, 3, size, size]);
    const outputs = await this.session.run({ [this.session.inputNames[0]!]: input });
    const output = outputs[this.session.outputNames[0]!];
    if (!output || !(output.data instanceof Float32Array)) throw new Error('embedder output is missing or not float32');
    const dim = output.data.length / crops.length;
    return crops.map((_, i) => l2Normalize(output.data.slice(i * dim, (i + 1) * dim) as Float32Array));
  }

  /** Packed RGB crops -> planar NCHW float32 in the model's channel order, normalised. */
  private toInput(crops: Uint8Array[]): Float32Array {
    const { size, channelOrder, mean, std } = this.spec;
    const plane = size * size;
    const out = new Float32Array(crops.length * 3 * plane);
    const sourceChannel = channelOrder === 'rgb' ? [0, 1, 2] : [2, 1, 0];
    crops.forEach((crop, n) => {
      if (crop.length !== plane * 3) throw new Error(`aligned crop must be ${size}x${size} RGB (${plane * 3} bytes), got ${crop.length}`);
      for (let c = 0; c < 3; c++) {
        const src = sourceChannel[c]!;
        const m = mean[c]!;
        const s = std[c]!;
        const base = (n * 3 + c) * plane;
        for (let i = 0; i < plane; i++) out[base + i] = (crop[i * 3 + src]! - m) / s;
      }
    });
    return out;
  }
}

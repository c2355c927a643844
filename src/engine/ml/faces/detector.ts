import { Tensor } from 'onnxruntime-node';
import type { RunnableSession } from '../runtime/worker-sessions';
import type { RgbImage } from '../../imaging/rgb-image';
import { mirrorImage } from './mirror';
import { unmirrorFace, withMirroredLandmarks } from './mirrored-landmarks';
import { nonMaxSuppression } from './nms';
import { scaleFace, type DetectedFace } from './types';
import { decodeYunet, type YunetOutputs } from './yunet-decode';
import { padToDivisor, resizeRgb, toYunetTensorData } from './yunet-input';

export interface YuNetOptions {
  /** Faces scoring below this are dropped. */
  scoreThreshold: number;
  /**
   * The image is shrunk (never enlarged) so its long side is at most this before the network sees it.
   * Infinity runs at the image's own size.
   */
  inputLongSide: number;
  /** Overlap above which the weaker of two faces is suppressed (OpenCV's default 0.3). */
  nmsThreshold: number;
  /** At most this many faces per photo (OpenCV's default 5000). */
  topK: number;
}

/**
 * Defaults calibrated on ../shared/photos:
 * - A 640 long side at score 0.7 reproduces the reference `yunet_s` face counts of all 24 group photos
 *   (23 exactly; 17.jpg 83 vs 78, +6%) and finds a face in every labelled portrait and LFW photo.
 *   At the image's own size YuNet finds 2-3x more faces in crowds at 4-6x the cost, but they are
 *   8-20 px faces below FULL_EVIDENCE_QUALITY: over all 24 photos only 10 usable faces are lost, all in
 *   the one 1600 px crowd (17.jpg: 45 usable kept). Set inputLongSide to Infinity to have them anyway.
 * - Score 0.7, not OpenCV's 0.9 nor 0.6: the album's no-face photos (drawing, cat, dog, helmet, cake,
 *   car, landscape, flowers) score at most 0.64 (flowers) and 0.34 (drawing), so 0.6 lets one through;
 *   0.9 loses real faces (0 of the 68 in groups/8.jpg, 23 of 51 in groups/1.jpg).
 */
export const DEFAULT_YUNET_OPTIONS: YuNetOptions = { scoreThreshold: 0.7, inputLongSide: 640, nmsThreshold: 0.3, topK: 5000 };

/**
 * YuNet face detector over an injected onnxruntime session (the runtime layer chooses providers).
 * Works with the dynamic-input model ([1,3,H,W], H and W multiples of 32) at any size, and with the
 * fixed 640x640 model by letterboxing.
 */
export class YuNetDetector {
  private constructor(
    private readonly session: RunnableSession,
    readonly options: YuNetOptions,
    /** Set for the fixed-size model; undefined when the model accepts any multiple of 32. */
    private readonly fixedSize: { width: number; height: number } | undefined,
  ) {}

  private readonly shrinks = new WeakMap<RgbImage, RgbImage>();

  static fromSession(session: RunnableSession, options: Partial<YuNetOptions> = {}): YuNetDetector {
    return new YuNetDetector(session, { ...DEFAULT_YUNET_OPTIONS, ...options }, fixedInputSize(session));
  }

  /** Faces in `image`'s pixels, best first. */
  async detect(image: RgbImage): Promise<DetectedFace[]> {
    const candidates = await this.detectCandidates(image, this.shrinkFactor(image), this.options.scoreThreshold);
    return nonMaxSuppression(candidates, this.options.nmsThreshold, this.options.topK);
  }

  /**
   * detect()'s faces, each with its landmarks averaged with those the network places in the mirror image
   * (test-time augmentation for the detector; mirrored-landmarks.ts).
   */
  async detectWithMirroredLandmarks(image: RgbImage): Promise<DetectedFace[]> {
    return this.mirroredLandmarks(image, await this.detect(image));
  }

  /**
   * `faces` (detect()'s, in `image`) with their landmarks averaged with those the network places in the
   * mirror image: it sees the same shrunk pixels again, flipped. Why: on a small face a landmark is off by
   * a pixel or two, and a pixel of a 60 px face is a lot once the face is warped to 112 px; the two
   * passes' errors are partly independent, so their mean is closer to the truth (landmark-refinement.ts).
   */
  async mirroredLandmarks(image: RgbImage, faces: readonly DetectedFace[]): Promise<DetectedFace[]> {
    const input = await this.shrunk(image, this.shrinkFactor(image));
    const mirrored = (await this.detect(mirrorImage(input))).map((face) =>
      scaleFace(unmirrorFace(face, input.width), image.width / input.width, image.height / input.height),
    );
    return withMirroredLandmarks(faces, mirrored);
  }

  /**
   * `image` shrunk by `factor` as the network sees it. The last shrink of each image is kept while the
   * image lives (a WeakMap): mirroredLandmarks runs right after detect() on the same analysis image and
   * would otherwise resize it again.
   */
  private async shrunk(image: RgbImage, factor: number): Promise<RgbImage> {
    const width = Math.max(1, Math.round(image.width * factor));
    const height = Math.max(1, Math.round(image.height * factor));
    if (width === image.width && height === image.height) return image;
    const kept = this.shrinks.get(image);
    if (kept?.width === width && kept.height === height) return kept;
    const input = await resizeRgb(image, width, height);
    this.shrinks.set(image, input);
    return input;
  }

  /** How much `image` is shrunk (never enlarged) before the network sees it. */
  private shrinkFactor(image: RgbImage): number {
    return Math.min(1, this.options.inputLongSide / Math.max(image.width, image.height));
  }

  /**
   * One network pass over `image` shrunk by `factor` (<= 1), returning every anchor scoring at least
   * `minScore`, before NMS, mapped back to `image`'s pixels.
   */
  async detectCandidates(image: RgbImage, factor: number, minScore: number): Promise<DetectedFace[]> {
    const limit = this.fixedSize;
    const fit = limit ? Math.min(limit.width / image.width, limit.height / image.height, factor) : factor;
    const input = await this.shrunk(image, fit);
    const { width, height } = input;
    const tensorWidth = limit?.width ?? padToDivisor(width);
    const tensorHeight = limit?.height ?? padToDivisor(height);
    const tensor = new Tensor('float32', toYunetTensorData(input, tensorWidth, tensorHeight), [1, 3, tensorHeight, tensorWidth]);
    const outputs = (await this.session.run({ [this.session.inputNames[0]!]: tensor })) as YunetOutputs;
    const faces = decodeYunet(outputs, tensorWidth, tensorHeight, minScore);
    return faces.map((face) => scaleFace(face, image.width / width, image.height / height));
  }
}

/** The model's fixed input size, or undefined when height and width are symbolic (dynamic). */
function fixedInputSize(session: RunnableSession): { width: number; height: number } | undefined {
  const meta = session.inputMetadata[0];
  const shape = meta && 'shape' in meta ? meta.shape : undefined;
  const height = shape?.[2];
  const width = shape?.[3];
  return typeof width === 'number' && typeof height === 'number' ? { width, height } : undefined;
}

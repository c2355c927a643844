import { Tensor } from 'onnxruntime-node';
import type { RunnableSession } from '../runtime/worker-sessions';
import type { RgbImage } from '../../imaging/rgb-image';
import { resizeRgb } from '../faces/yunet-input';
import { type DbOptions, DEFAULT_DB_OPTIONS, decodeTextRegions, type TextRegion } from './db-postprocess';
import { normalizeRect, type RotatedRect } from './geometry';

/** DB's feature pyramid halves the input five times: sides must be multiples of 32. */
const DET_DIVISOR = 32;
/** ImageNet mean and std in 0..255, applied to B, G, R in that order, as PaddleOCR feeds cv2's BGR image. */
const MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255];
const STD = [0.229 * 255, 0.224 * 255, 0.225 * 255];

/**
 * PP-OCR's DB text detector over an injected onnxruntime session (input `x`, [1,3,H,W]; output the
 * text probability map [1,1,H,W]). Regions come back in the given image's pixels.
 */
export class TextDetector {
  private constructor(private readonly session: RunnableSession) {}

  static fromSession(session: RunnableSession): TextDetector {
    return new TextDetector(session);
  }

  /** Text regions of `image`, which the network sees shrunk (never enlarged) to at most `longSide`. */
  async detect(image: RgbImage, longSide: number, options: DbOptions = DEFAULT_DB_OPTIONS): Promise<TextRegion[]> {
    const factor = Math.min(1, longSide / Math.max(image.width, image.height));
    const width = Math.max(DET_DIVISOR, Math.round((image.width * factor) / DET_DIVISOR) * DET_DIVISOR);
    const height = Math.max(DET_DIVISOR, Math.round((image.height * factor) / DET_DIVISOR) * DET_DIVISOR);
    const input = width === image.width && height === image.height ? image : await resizeRgb(image, width, height);
    const tensor = new Tensor('float32', toDetTensorData(input), [1, 3, height, width]);
    const outputs = await this.session.run({ [this.session.inputNames[0]!]: tensor });
    const map = outputs[this.session.outputNames[0]!]!;
    const [mapHeight, mapWidth] = map.dims.slice(-2) as [number, number];
    const regions = decodeTextRegions(map.data as Float32Array, mapWidth, mapHeight, options);
    return regions.map((r) => ({ score: r.score, rect: scaleRect(r.rect, image.width / mapWidth, image.height / mapHeight) }));
  }
}

/** Planar BGR float32, ImageNet-normalised. */
function toDetTensorData(image: RgbImage): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  const { data } = image;
  for (let i = 0, src = 0; i < plane; i++, src += 3) {
    out[i] = (data[src + 2]! - MEAN[0]!) / STD[0]!;
    out[plane + i] = (data[src + 1]! - MEAN[1]!) / STD[1]!;
    out[2 * plane + i] = (data[src]! - MEAN[2]!) / STD[2]!;
  }
  return out;
}

/** A rotated rectangle under a (slightly) non-uniform scale: the sides stretch along their own directions. */
export function scaleRect(rect: RotatedRect, sx: number, sy: number): RotatedRect {
  const cos = Math.cos(rect.angle);
  const sin = Math.sin(rect.angle);
  return normalizeRect({
    cx: rect.cx * sx,
    cy: rect.cy * sy,
    width: rect.width * Math.hypot(sx * cos, sy * sin),
    height: rect.height * Math.hypot(sx * sin, sy * cos),
    angle: Math.atan2(sy * sin, sx * cos),
  });
}

import type { Point } from '../../../common/api/library';
import type { DetectedFace } from './types';

/** YuNet's three heads, finest first. Each has one anchor per cell, in row-major order. */
export const YUNET_STRIDES = [8, 16, 32] as const;

/** The raw output arrays of one YuNet run (batch 1), keyed by output name (cls_8, obj_8, bbox_8, kps_8, ...). */
export type YunetOutputs = Record<string, { data: unknown }>;

/**
 * Decodes YuNet's outputs into faces in the input tensor's pixels, following OpenCV's
 * FaceDetectorYN::postProcess: score = sqrt(clamp(cls) * clamp(obj)); box centre = (cell + offset) * stride,
 * size = exp(pred) * stride; landmarks = (cell + offset) * stride. No NMS here (see nms.ts).
 */
export function decodeYunet(outputs: YunetOutputs, inputWidth: number, inputHeight: number, minScore: number): DetectedFace[] {
  const faces: DetectedFace[] = [];
  for (const stride of YUNET_STRIDES) {
    const cols = inputWidth / stride;
    const rows = inputHeight / stride;
    const cls = headData(outputs, `cls_${stride}`);
    const obj = headData(outputs, `obj_${stride}`);
    const bbox = headData(outputs, `bbox_${stride}`);
    const kps = headData(outputs, `kps_${stride}`);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const score = Math.sqrt(clamp01(cls[i]!) * clamp01(obj[i]!));
        if (score < minScore) continue;
        const cx = (c + bbox[i * 4]!) * stride;
        const cy = (r + bbox[i * 4 + 1]!) * stride;
        const w = Math.exp(bbox[i * 4 + 2]!) * stride;
        const h = Math.exp(bbox[i * 4 + 3]!) * stride;
        const landmarks: Point[] = [];
        for (let n = 0; n < 5; n++) {
          landmarks.push([(kps[i * 10 + 2 * n]! + c) * stride, (kps[i * 10 + 2 * n + 1]! + r) * stride]);
        }
        faces.push({ box: [cx - w / 2, cy - h / 2, w, h], score, landmarks });
      }
    }
  }
  return faces;
}

function headData(outputs: YunetOutputs, name: string): Float32Array {
  const data = outputs[name]?.data;
  if (!(data instanceof Float32Array)) throw new Error(`YuNet output ${name} is missing or not float32`);
  return data;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

import { InferenceSession } from 'onnxruntime-node';
import { YuNetDetector, type YuNetOptions } from '../../../../src/engine/ml/faces/detector';
import { FaceEmbedder } from '../../../../src/engine/ml/faces/embedder';
import { sharedModel } from '../../../support/shared';

export const YUNET_DYNAMIC = 'face_detection_yunet_s_dynamic.onnx';
export const YUNET_FIXED_640 = 'face_detection_yunet_2023mar.onnx';
export const MOBILEFACENET = 'face_recognition_mobilefacenet_128.onnx';

/** Plain CPU sessions as the tests need them (provider selection belongs to src/engine/ml/runtime). */
export function cpuSession(file: string, threads = 2): Promise<InferenceSession> {
  return InferenceSession.create(sharedModel(file), { executionProviders: ['cpu'], intraOpNumThreads: threads });
}

export async function createDetector(options: Partial<YuNetOptions> = {}, file = YUNET_DYNAMIC): Promise<YuNetDetector> {
  return YuNetDetector.fromSession(await cpuSession(file), options);
}

export async function createEmbedder(): Promise<FaceEmbedder> {
  return FaceEmbedder.fromSession(await cpuSession(MOBILEFACENET));
}

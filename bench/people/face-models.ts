import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { YuNetDetector } from '../../src/engine/ml/faces/detector';
import { FaceEmbedder } from '../../src/engine/ml/faces/embedder';

/** ../shared beside the checkout (FACET_SHARED_DIR overrides): the face models and labelled photos the people benches read. */
export const SHARED_DIR = path.resolve(process.env.FACET_SHARED_DIR ?? path.join(__dirname, '..', '..', '..', 'shared'));

/** The shared YuNet detector and MobileFaceNet embedder, one CPU thread each as the indexer runs them. */
export async function benchFaceModels(shared = SHARED_DIR): Promise<{ detector: YuNetDetector; embedder: FaceEmbedder }> {
  const session = (name: string): Promise<ort.InferenceSession> =>
    ort.InferenceSession.create(path.join(shared, 'models', name), { intraOpNumThreads: 1 });
  const [detector, embedder] = await Promise.all([
    session('face_detection_yunet_s_dynamic.onnx'),
    session('face_recognition_mobilefacenet_128.onnx'),
  ]);
  return { detector: YuNetDetector.fromSession(detector), embedder: FaceEmbedder.fromSession(embedder) };
}

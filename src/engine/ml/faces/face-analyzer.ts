import type { RgbImage } from '../../imaging/rgb-image';
import { alignFace } from './align';
import type { YuNetDetector } from './detector';
import type { FaceEmbedder } from './embedder';
import { faceQuality, type FaceQuality } from './quality';
import type { DetectedFace } from './types';

/** A face in ORIGINAL upright pixels, with its identity embedding and how far to trust it. */
export type AnalyzedFace = DetectedFace & { embedding: Float32Array; quality: FaceQuality };

export interface AnalyzeFacesOptions {
  detector: YuNetDetector;
  embedder: FaceEmbedder;
  /** image.width / original upright width (the spine's DecodedPhoto.scale). */
  scale: number;
}

/**
 * The indexing pipeline's one call: detect, align, embed (one batch per photo) and rate every face.
 * Alignment and quality work in the analysis image; only the returned geometry is scaled back.
 */
export async function analyzeFaces(image: RgbImage, { detector, embedder, scale }: AnalyzeFacesOptions): Promise<AnalyzedFace[]> {
  const faces = await detector.detect(image);
  const aligned = faces.map((face) => alignFace(image, face.landmarks));
  const embeddings = await embedder.embed(aligned);
  return faces.map((face, i) => ({
    ...toOriginalPixels(face, scale),
    embedding: embeddings[i]!,
    quality: faceQuality({ face, aligned: aligned[i]!, scale }),
  }));
}

function toOriginalPixels(face: DetectedFace, scale: number): DetectedFace {
  const [x, y, w, h] = face.box;
  return {
    box: [x / scale, y / scale, w / scale, h / scale],
    score: face.score,
    landmarks: face.landmarks.map(([px, py]) => [px / scale, py / scale]),
  };
}

import { replaceFaces } from '../library/face-store';
import { analyzeFaces } from '../ml/faces/face-analyzer';
import type { FaceModels } from '../ml/face-models';
import type { PhotoAnalyzer } from './analyzer';

/** The faces analyzer: detect, align, embed on the shared decode; store faces + vectors in the photo's transaction. */
export function createFaceAnalyzer(models: FaceModels): PhotoAnalyzer {
  return {
    name: 'faces',
    async analyze({ photoId, decoded, decodeDetail }) {
      const faces = await analyzeFaces(decoded.image, {
        detector: models.detector,
        embedder: models.embedder,
        scale: decoded.scale,
        loadDetail: async (longSide) => {
          const detail = await decodeDetail(longSide);
          return { image: detail.image, scale: detail.scale };
        },
      });
      return (db) => {
        replaceFaces(
          db,
          photoId,
          models.embedderId,
          faces.map((f) => ({
            box: f.box,
            score: f.score,
            landmarks: f.landmarks,
            embedding: f.embedding,
            quality: f.quality.quality,
            blur: f.quality.blur,
            pose: f.quality.pose,
          })),
        );
        return { faces: faces.length };
      };
    },
  };
}

import { FACE_CROP_SIZE, removeFaceCrops, writeFaceCrop } from '../imaging/face-crop';
import { faceIdsOfPhoto, replaceFaces } from '../library/face-store';
import { analyzeFaces } from '../ml/faces/face-analyzer';
import type { FaceModels } from '../ml/face-models';
import type { PhotoAnalyzer } from './analyzer';

/**
 * The faces analyzer: detect, align, embed on the shared decode; store faces + vectors in the photo's
 * transaction, and each face's crop (cut from the decode the face was aligned from) under its new id
 * in `thumbnailsDir`.
 */
export function createFaceAnalyzer(models: FaceModels, thumbnailsDir: string): PhotoAnalyzer {
  return {
    name: 'faces',
    async analyze({ photoId, decoded, decodeDetail }) {
      const faces = await analyzeFaces(decoded.image, {
        detector: models.detector,
        embedder: models.embedder,
        scale: decoded.scale,
        crops: true,
        loadDetail: async (longSide) => {
          const detail = await decodeDetail(longSide);
          return { image: detail.image, scale: detail.scale };
        },
      });
      return (db) => {
        // Old crops go first: a deleted face's id may be handed to one of the new faces below.
        removeFaceCrops(thumbnailsDir, faceIdsOfPhoto(db, photoId));
        const ids = replaceFaces(
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
            crop: f.crop ? FACE_CROP_SIZE : null,
          })),
        );
        ids.forEach((id, i) => {
          const crop = faces[i]!.crop;
          if (crop) writeFaceCrop(thumbnailsDir, id, crop);
        });
        return { faces: faces.length };
      };
    },
  };
}

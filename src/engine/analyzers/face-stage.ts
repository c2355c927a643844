import { FACE_CROP_SIZE, removeFaceCrops, writeFaceCrop } from '../imaging/face-crop';
import { faceIdsOfPhoto, replaceFaces, setFaceCrop } from '../library/face-store';
import { analyzeFaces } from '../ml/faces/face-analyzer';
import type { FaceModels } from '../ml/face-models';
import type { PhotoAnalyzer } from './analyzer';

/**
 * The faces analyzer: detect, align, embed on the shared decode; store faces + vectors in the photo's
 * transaction, and each face's crop (cut from the decode the face was aligned from) under its new id
 * in `thumbnailsDir`. A row claims a crop only when its file holds that face's crop, committed or not.
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
        // WHY no file is removed here: this runs inside the photo's transaction, and a commit that fails
        // (a full disk) keeps the old rows, which must keep their crop files. Old files go after the commit.
        const old = new Set(faceIdsOfPhoto(db, photoId));
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
            resolution: f.quality.resolution,
            crop: f.crop ? FACE_CROP_SIZE : null,
          })),
        );
        // A deleted face's id can be handed to a new face. Its file still holds the old face's crop, which
        // a rolled-back commit needs: the new crop is written after the commit, the row claiming it only then.
        const reused: { id: number; crop: Uint8Array }[] = [];
        ids.forEach((id, i) => {
          const crop = faces[i]!.crop;
          if (!crop) return;
          if (!old.has(id)) return writeFaceCrop(thumbnailsDir, id, crop); // no row left to mislead on a rollback
          setFaceCrop(db, id, null);
          reused.push({ id, crop });
        });
        const kept = new Set(ids);
        const gone = [...old].filter((id) => !kept.has(id));
        return {
          faces: faces.length,
          afterCommit: () => {
            removeFaceCrops(thumbnailsDir, gone);
            for (const { id, crop } of reused) {
              writeFaceCrop(thumbnailsDir, id, crop);
              setFaceCrop(db, id, FACE_CROP_SIZE); // a kill before this leaves crop NULL: the backfill makes it
            }
          },
        };
      };
    },
  };
}

import { encodeFaceCrop } from '../../imaging/face-crop';
import type { RgbImage } from '../../imaging/rgb-image';
import { alignFace, type Interpolation } from './align';
import type { YuNetDetector } from './detector';
import type { FaceEmbedder } from './embedder';
import { unitMean } from '../vector-math';
import { mirrorAligned } from './mirror';
import { faceQuality, type FaceQuality } from './quality';
import { enlargedByAlignment, refineEnlargedFaces } from './landmark-refinement';
import { ALIGNMENT_JITTER, jitteredLandmarks } from './alignment-jitter';
import { scaleFace, type DetectedFace } from './types';

/**
 * A face in ORIGINAL upright pixels, with its identity embedding and how far to trust it; with `crops`,
 * also its square crop (JPEG bytes, null if it could not be cut) from the image it was aligned from.
 */
export type AnalyzedFace = DetectedFace & { embedding: Float32Array; quality: FaceQuality; crop?: Buffer | null };

export interface AnalyzeFacesOptions {
  detector: YuNetDetector;
  embedder: FaceEmbedder;
  /** image.width / original upright width (the spine's DecodedPhoto.scale). */
  scale: number;
  /**
   * Decodes the original at a larger long side. Given, faces too small in `image` to embed well are
   * aligned from that detail image instead (a group photo's faces at 1/8 scale are 15-30 px; at 1/2
   * they embed as well as a portrait).
   */
  loadDetail?: (longSide: number) => Promise<ScaledImage>;
  /**
   * Test-time augmentation: embed the face and its mirror image and keep their normalised mean
   * (default on). Measured on the people bench: LFW-dev BCubed F1 0.973 → 0.975, the hard set (tight
   * 60-120 px crops, blurred, re-compressed) 0.868 → 0.875, same/different separation d' +2%; it costs
   * one more embedding per face (~3.5 ms on one core).
   */
  mirror?: boolean;
  /**
   * Place the landmarks of each face that alignment enlarges more than 1.25× (a face well under the
   * 112 px template in the image it is aligned from) as the mean of several looks of the detector at it:
   * the image and its mirror image, and a window around the face at three sizes, each mirrored too
   * (default on; landmark-refinement.ts). Measured with bench/people/embed-sets.ts + flow.ts (BCubed F1 of
   * automatic clustering): hard LFW 0.890 → 0.912, hard celebs 0.953 → 0.971, LFW-dev 0.982 → 0.986,
   * celebs 1.000. Costs ~50 ms per refined face on a slow 2-core machine (the detector's runs on the
   * windows) and nothing for the others: 2 of the 66 faces of `facet bench index`, 4 of 83 on its average
   * library. Faces indexed before keep their embeddings (old and new agree to cosine 0.975, median, on the
   * same face), so nothing needs re-indexing.
   */
  refineLandmarks?: boolean;
  /**
   * Embed each face that alignment enlarges more than 1.25× from five alignments, the plain one and the
   * template scaled ±5% and shifted ±2 px (alignment-jitter.ts), and keep the mean (default on): its
   * refined landmarks are still uncertain by about a pixel, which the warp magnifies. Measured with
   * bench/people/embed-sets.ts + flow.ts (BCubed F1, with the founding bar of people/cluster-faces.ts):
   * hard LFW 0.916 → 0.920-0.921, LFW-dev 0.986 → 0.987, hard celebs 0.971, celebs 1.000. Eight more
   * embeddings per such face (with mirrors), ~28 ms on a slow core, only for the faces refineLandmarks
   * pays for already.
   */
  jitterEnlarged?: boolean;
  /**
   * Also cut each face's crop (imaging/face-crop.ts) from the image its alignment used: the detail
   * decode for small faces, so a face in a group photo gets the pixels the embedder saw, not the
   * thumbnail's. Encoded on sharp's threads while the embedder runs.
   */
  crops?: boolean;
}

export interface ScaledImage {
  image: RgbImage;
  /** image.width / original upright width. */
  scale: number;
}

/**
 * Why the embedder gets a bicubic warp: a face is usually enlarged to the 112 px template (an LFW face
 * is ~56 px, a small web crop 40-100 px), and the cubic kernel keeps more of its edges than bilinear
 * sampling. Measured with bench/people/embed-variants.ts (same detections, only the warp changed,
 * mirror TTA on, BCubed F1 of automatic clustering): LFW-dev 0.976 → 0.980, hard LFW 0.876 → 0.882
 * (precision 0.927 → 0.941), hard celebs 0.953 and celebs 1.000 unchanged. Costs ~1 ms per face.
 * Libraries indexed before keep their bilinear embeddings (the two agree to cosine ~0.99 on a face, far
 * tighter than two photos of one person), so old and new faces cluster together.
 */
export const EMBEDDING_INTERPOLATION: Interpolation = 'bicubic';

/** Faces smaller than this (analysis pixels, shorter box side) are worth a detail decode. */
const DETAIL_BELOW_FACE_SIZE = 56;
/** The detail decode aims to bring the smallest face to this size, within DETAIL_MAX_LONG_SIDE. */
const DETAIL_TARGET_FACE_SIZE = 96;
const DETAIL_MAX_LONG_SIDE = 2400;
/** A detail decode must add at least this much resolution to be worth its cost. */
const DETAIL_MIN_GAIN = 1.5;

/**
 * The indexing pipeline's one call: detect, align, embed (one batch per photo) and rate every face.
 * Alignment and quality work in the analysis image; only the returned geometry is scaled back.
 */
export async function analyzeFaces(
  image: RgbImage,
  {
    detector,
    embedder,
    scale,
    loadDetail,
    mirror = true,
    refineLandmarks = true,
    jitterEnlarged = true,
    crops = false,
  }: AnalyzeFacesOptions,
): Promise<AnalyzedFace[]> {
  const detected = await detector.detect(image);
  const source = loadDetail ? await detailSource(image, scale, detected, loadDetail) : { image, scale };
  // Refined in the image the faces are aligned from: a small face of a group photo gets its windows from
  // the detail decode's finer pixels.
  const faces = refineLandmarks
    ? await refineEnlargedFaces(detector, image, detected, source.image, source.scale / scale)
    : detected.map((face) => scaleFace(face, source.scale / scale));
  // Face quality reads the bilinear plain warp its sharpness ramp was measured on; the embedder sees
  // bicubic warps of each face's alignments (embeddingViews).
  const aligned = faces.map((face) => alignFace(source.image, face.landmarks));
  // Started before the embedder and awaited after it: libvips encodes on the libuv pool meanwhile.
  const cropping = crops ? Promise.all(faces.map((face) => encodeFaceCrop(source.image, face.box).catch(() => null))) : null;
  const { plain, mirrored } = await embedFaceViews(embedder, source.image, faces, { jitterEnlarged, mirror });
  // A face and its mirror image weigh the same however many views each has.
  const embeddings = mirrored ? plain.map((face, i) => unitMean([face, mirrored[i]!])) : plain;
  const cropped = cropping ? await cropping : null;
  return faces.map((face, i) => ({
    ...scaleFace(face, 1 / source.scale),
    embedding: embeddings[i]!,
    quality: faceQuality({ face, aligned: aligned[i]!, scale: source.scale }),
    ...(cropped ? { crop: cropped[i] ?? null } : {}),
  }));
}

/**
 * The aligned crops a face is embedded from (EMBEDDING_INTERPOLATION): its plain alignment, and with
 * `jitterEnlarged`, for a face the warp enlarges more than 1.25×, the jittered ones (alignment-jitter.ts).
 */
function embeddingViews(image: RgbImage, face: DetectedFace, jitterEnlarged: boolean): Uint8Array[] {
  const alignments =
    jitterEnlarged && enlargedByAlignment(face)
      ? [face.landmarks, ...ALIGNMENT_JITTER.map((jitter) => jitteredLandmarks(face.landmarks, jitter))]
      : [face.landmarks];
  return alignments.map((landmarks) => alignFace(image, landmarks, EMBEDDING_INTERPOLATION));
}

/**
 * Each face embedded from its views (embeddingViews) in one batch: per face the unit mean of its views'
 * embeddings, and with `mirror` the unit mean of their mirror images' (analyzeFaces pools the two; the
 * people benches keep them apart).
 */
export async function embedFaceViews(
  embedder: FaceEmbedder,
  image: RgbImage,
  faces: readonly DetectedFace[],
  { jitterEnlarged, mirror }: { jitterEnlarged: boolean; mirror: boolean },
): Promise<{ plain: Float32Array[]; mirrored: Float32Array[] | null }> {
  const views = faces.map((face) => embeddingViews(image, face, jitterEnlarged));
  const crops = views.flat();
  const embedded = await embedder.embed(mirror ? [...crops, ...crops.map((crop) => mirrorAligned(crop))] : crops);
  const meanOfViews = (from: number): Float32Array[] => {
    let offset = from;
    return views.map((v) => unitMean(embedded.slice(offset, (offset += v.length))));
  };
  return { plain: meanOfViews(0), mirrored: mirror ? meanOfViews(crops.length) : null };
}

/** The image to align faces from: the analysis image, or a detail decode when faces are small in it. */
async function detailSource(
  image: RgbImage,
  scale: number,
  faces: DetectedFace[],
  loadDetail: (longSide: number) => Promise<ScaledImage>,
): Promise<ScaledImage> {
  if (faces.length === 0) return { image, scale };
  const smallest = Math.min(...faces.map((f) => Math.min(f.box[2], f.box[3])));
  const longSide = detailLongSide(Math.max(image.width, image.height), scale, smallest);
  return longSide === null ? { image, scale } : loadDetail(longSide);
}

/**
 * The long side of the detail decode for a photo whose smallest face is `smallestFace` pixels (shorter
 * box side) in an analysis image of `longSide` pixels at `scale`; null when the analysis image will do.
 * The face-crop backfill asks the same question, so its crops match the ones indexing makes.
 */
export function detailLongSide(longSide: number, scale: number, smallestFace: number): number | null {
  if (smallestFace >= DETAIL_BELOW_FACE_SIZE) return null;
  const originalLongSide = longSide / scale;
  const wanted = Math.min(DETAIL_MAX_LONG_SIDE, originalLongSide, (longSide * DETAIL_TARGET_FACE_SIZE) / Math.max(smallestFace, 1));
  // Snap to a JPEG DCT scale (1/1, 1/2, 1/4, 1/8) at or a little above the wish: shrink-on-load then does
  // the whole reduction, where 2400 px of a 4000 px photo would need a full decode plus a resize.
  const snapped = [1, 2, 4, 8].map((f) => originalLongSide / f).find((side) => side <= wanted * 1.15) ?? wanted;
  if (snapped < longSide * DETAIL_MIN_GAIN) return null;
  return Math.round(snapped);
}

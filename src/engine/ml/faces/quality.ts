import { laplacianVariance as imageLaplacianVariance } from '../../imaging/laplacian';
import { ALIGNED_SIZE } from './align';
import type { Point } from '../../../common/api/library';
import type { DetectedFace } from './types';

/**
 * How usable a face is for recognition. `quality` is the product of four factors in [0, 1] (resolution,
 * sharpness, pose, detector confidence): a face is only as good as its weakest aspect, and one bad
 * aspect is enough to make its evidence count less.
 */
export interface FaceQuality {
  /** min(box width, height) in ORIGINAL upright pixels. */
  size: number;
  /** Blur in [0, 1]: 0 sharp, 1 featureless (from the variance of the Laplacian of the aligned crop). */
  blur: number;
  /** Pose deviation in [0, 1]: 0 frontal, 1 profile or steeply rolled (from the five landmarks). */
  pose: number;
  /** The resolution factor in [0, 1]: 0 under SIZE_MIN px as the embedder saw the face, 1 from SIZE_FULL px. */
  resolution: number;
  /** Overall usability in [0, 1]. */
  quality: number;
  /** Which factors cost quality, for logs and the UI, e.g. "small (18 px), blurred". Empty when none. */
  explanation: string;
}

/**
 * Ramp, in analysis pixels (what the embedder saw), for the resolution factor. Measured on the celeb
 * faces shrunk to a given size and matched against their sharp gallery: ROC AUC 0.72 at 12 px,
 * 0.83 at 16 px, 0.984 at 24 px, 0.991 at 32 px and 48 px (0.99+ is what full-size faces reach).
 */
const SIZE_MIN = 12;
const SIZE_FULL = 40;
/**
 * log10(1 + variance of Laplacian) of the aligned gray crop. Measured on 111 LFW faces: sharp originals
 * p5-p50 1.60-2.11, after a sigma-1 blur p50 1.46, sigma-2 p50 0.77, sigma-3 p50 0.52. So a typical
 * sharp face reads blur 0, sigma 1 about 0.4, sigma 2 about 0.95.
 */
const SHARPNESS_LOG_MIN = 0.7;
const SHARPNESS_LOG_FULL = 1.9;
/** Yaw ratio (nose offset / half eye distance) and roll (degrees) at which pose counts as fully off. */
const YAW_RATIO_MAX = 1.0;
const ROLL_DEG_MAX = 60;
/** Detector scores between these map onto [0, 1]; the detector's threshold sits near the bottom. */
const SCORE_MIN = 0.5;
const SCORE_FULL = 0.9;

/**
 * A face at or above this quality counts as full evidence of who it is; below, its likelihood ratios
 * are tempered by quality / this, and under a sixth of it a face gets no suggestion. Measured on celeb
 * faces degraded by shrinking and blurring, matched against the sharp gallery: quality < 0.2 gave
 * ROC AUC 0.78, quality >= 0.2 gave 0.98-0.99 (full-size faces: 0.99+). 0.3 leaves a margin.
 */
export const FULL_EVIDENCE_QUALITY = 0.3;

/**
 * Which poor faces may found a new person (any face may join one, with tempered evidence). Until
 * 2026-11-28 only faces of quality >= FULL_EVIDENCE_QUALITY founded. Measured since
 * (src/engine/people/README.md, "Founding bar"): what two *different* people's faces score depends on
 * why the faces are poor. Tiny faces drift toward each other: pairs across unrelated crowd photos of
 * ../shared/photos/groups score 0.15 ± 0.19 when the worse face's resolution factor is under 0.3 (27%
 * of them above the linkage line), 0.06 ± 0.13 at 0.3-0.5 (3.5%), 0.02-0.03 ± 0.10 from 0.5 (0.3%, as
 * sharp faces). Blurred, turned or re-compressed faces do not: with both faces' resolution >= 0.5 the
 * crowd pairs score 0.00-0.02 ± 0.10 at every quality, and the labelled sets' different-person pairs
 * 0.015-0.022 ± 0.105 even under quality 0.05. A poor face's same-person similarity is lower (0.42-0.47
 * under quality 0.2, 0.61 from 0.6), so it merges less often, not more wrongly. So a face founds when it
 * has the resolution (>= MIN_FOUNDING_RESOLUTION: 26 px as the embedder saw it, where matching a
 * shrunk face against its sharp gallery reaches ROC AUC 0.98, see SIZE_MIN) and is not too poor to
 * recognise at all (>= MIN_FOUNDING_QUALITY, the floor under which it gets no suggestion either).
 */
export const MIN_FOUNDING_RESOLUTION = 0.5;
export const MIN_FOUNDING_QUALITY = FULL_EVIDENCE_QUALITY / 6;

export interface QualityInput {
  face: DetectedFace;
  /** The 112x112 aligned RGB crop (align.ts). */
  aligned: Uint8Array;
  /** analysis pixels / original pixels, as the spine's DecodedPhoto.scale. */
  scale: number;
}

export function faceQuality({ face, aligned, scale }: QualityInput): FaceQuality {
  const analysisSize = Math.min(face.box[2], face.box[3]);
  const blur = 1 - ramp(Math.log10(laplacianVariance(aligned) + 1), SHARPNESS_LOG_MIN, SHARPNESS_LOG_FULL);
  const pose = poseDeviation(face.landmarks);
  const factors = {
    small: ramp(analysisSize, SIZE_MIN, SIZE_FULL),
    blurred: 1 - blur,
    turned: 1 - pose,
    uncertain: ramp(face.score, SCORE_MIN, SCORE_FULL),
  };
  const size = analysisSize / scale;
  const quality = factors.small * factors.blurred * factors.turned * factors.uncertain;
  const explanation = Object.entries(factors)
    .filter(([, value]) => value < 0.75)
    .map(([name]) => (name === 'small' ? `small (${Math.round(size)} px)` : name))
    .join(', ');
  return { size, blur, pose, resolution: factors.small, quality, explanation };
}

/**
 * Variance of the 4-neighbour Laplacian of the crop's luma: high for sharp detail, low for blur or for
 * an upsampled tiny face. Hand-written: a 3x3 stencil over 112x112 needs no image library round trip.
 */
export function laplacianVariance(aligned: Uint8Array, size = ALIGNED_SIZE): number {
  return imageLaplacianVariance(aligned, size, size);
}

/** Yaw and roll from the five landmarks (image-left eye, image-right eye, nose, mouth corners). */
export function estimatePose(landmarks: readonly Point[]): { yawRatio: number; rollDegrees: number } {
  const [le, re, nose, lm, rm] = landmarks as [Point, Point, Point, Point, Point];
  const rollRad = Math.atan2(re[1] - le[1], re[0] - le[0]);
  const eyeDistance = Math.hypot(re[0] - le[0], re[1] - le[1]) || 1;
  // The face's vertical midline runs through the eye midpoint and mouth midpoint; a frontal nose sits on
  // it, a turned nose moves towards one eye. Measure along the eye line so roll does not read as yaw.
  const midX = (le[0] + re[0] + lm[0] + rm[0]) / 4;
  const midY = (le[1] + re[1] + lm[1] + rm[1]) / 4;
  const offset = (nose[0] - midX) * Math.cos(rollRad) + (nose[1] - midY) * Math.sin(rollRad);
  return { yawRatio: offset / (eyeDistance / 2), rollDegrees: (rollRad * 180) / Math.PI };
}

export function poseDeviation(landmarks: readonly Point[]): number {
  const { yawRatio, rollDegrees } = estimatePose(landmarks);
  return Math.max(ramp(Math.abs(yawRatio), 0, YAW_RATIO_MAX), ramp(Math.abs(rollDegrees), 0, ROLL_DEG_MAX));
}

/** 0 at or below `lo`, 1 at or above `hi`, linear between. */
function ramp(value: number, lo: number, hi: number): number {
  return Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
}

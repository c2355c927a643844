/** The face stage's public surface: what the spine, people and runtime code import. */
export type { DetectedFace, Point } from './types';
export { YuNetDetector, DEFAULT_YUNET_OPTIONS, type YuNetOptions } from './detector';
export { alignFace, alignmentTransform, estimateSimilarity, ARCFACE_TEMPLATE, ALIGNED_SIZE, type Similarity } from './align';
export { FaceEmbedder, MOBILEFACENET_INPUT, SFACE_INPUT, cosineSimilarity, type EmbedderInputSpec } from './embedder';
export { faceQuality, estimatePose, MIN_FOUNDING_QUALITY, type FaceQuality } from './quality';
export { analyzeFaces, type AnalyzedFace, type AnalyzeFacesOptions } from './face-analyzer';

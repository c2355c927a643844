import type { DecodedPhoto } from '../imaging/rgb-image';
import type { Db } from '../library/database';

export interface AnalyzerInput {
  photoId: number;
  decoded: DecodedPhoto;
  /** Decodes the original again at a larger long side; for the rare analysis that needs more detail. */
  decodeDetail(longSide: number): Promise<DecodedPhoto>;
}

/**
 * One kind of analysis of the single decode (faces, CLIP, hashes). `analyze` does the slow work
 * (inference) outside any transaction and returns the writes, which the pipeline runs inside the
 * photo's own transaction, so a kill loses at most the photos in flight.
 */
export interface PhotoAnalyzer {
  readonly name: string;
  analyze(input: AnalyzerInput): Promise<AnalyzerWrite>;
}

export type AnalyzerWrite = (db: Db) => AnalyzerOutcome | void;

export interface AnalyzerOutcome {
  faces?: number;
}

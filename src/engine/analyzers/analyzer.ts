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
  /**
   * File work that must wait until the photo's transaction has committed (removing the files of rows
   * it deleted): done earlier, a failed commit would leave the old rows pointing at removed files.
   * Best effort: the rows are already saved, and what it leaves undone is harmless.
   */
  afterCommit?: () => void;
}

/** Runs the `afterCommit` of a photo's committed writes; a failure there costs nothing the rows need. */
export function runAfterCommit(outcomes: readonly (AnalyzerOutcome | void)[]): void {
  for (const outcome of outcomes) {
    try {
      outcome?.afterCommit?.();
    } catch {
      // e.g. a full disk: the rows say what exists (a face without its crop file has crop NULL)
    }
  }
}

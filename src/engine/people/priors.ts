import { z } from 'zod';
import { bundledManifest } from '../models/manifest';
import type { DistanceModel } from './distance-model';

/** The manifest's `priors` of a face-embedding model: normal fits of the cosine similarity of pairs. */
const normalFit = z.object({
  distribution: z.literal('normal'),
  over: z.literal('cosine-similarity'),
  mean: z.number(),
  std: z.number().positive(),
  pairs: z.number().int().nonnegative(),
});
const priorsSchema = z.object({ sameDistance: normalFit, diffDistance: normalFit });

/**
 * Used only for a model whose manifest entry has no priors: typical of 128-d ArcFace-style embedders
 * (same-person pairs near 0.65, strangers near 0), wide enough to be humble until the library refits.
 */
const GENERIC_PRIORS: DistanceModel = {
  same: { mean: 0.65, std: 0.12 },
  diff: { mean: 0.03, std: 0.12 },
  source: 'prior',
  samePairs: 0,
  diffPairs: 0,
};

/** Per-model prior distance distributions, measured offline on ../shared (see the README). */
export function priorDistanceModel(modelId: string): DistanceModel {
  const entry = bundledManifest().models.find((m) => m.id === modelId && m.task === 'face-embedding');
  const parsed = priorsSchema.safeParse(entry && 'priors' in entry ? entry.priors : undefined);
  if (!parsed.success) return GENERIC_PRIORS;
  const { sameDistance, diffDistance } = parsed.data;
  return {
    same: { mean: sameDistance.mean, std: sameDistance.std },
    diff: { mean: diffDistance.mean, std: diffDistance.std },
    source: 'prior',
    samePairs: sameDistance.pairs,
    diffPairs: diffDistance.pairs,
  };
}

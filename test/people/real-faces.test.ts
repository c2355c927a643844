import { expect, it } from 'vitest';
import { describeWithShared, readLabels, sharedPhotos } from '../support/shared';
import { loadRealFaces } from './support/real-faces';

/** Also warms the .cache of real embeddings the other people tests and the bench read. */
describeWithShared('real labelled faces for the people tests', () => {
  it.each(['faces-celebs', 'faces-lfw-dev'] as const)('%s: nearly every labelled photo yields a centred, unit-length embedding', async (set) => {
    const faces = await loadRealFaces(set);
    const labelled = faces.filter((f) => f.identity);
    const labelledPhotos = readLabels(sharedPhotos(set, 'labels.csv')).filter((row) => !row.identity?.startsWith('MULTI:'));
    expect(labelled.length / labelledPhotos.length).toBeGreaterThan(0.97);
    for (const face of labelled.slice(0, 50)) expect(Math.hypot(...face.embedding)).toBeCloseTo(1, 3);
  }, 900_000);
});

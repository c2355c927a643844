import { expect, it } from 'vitest';
import { describeWithShared, readLabels, sharedPhotos } from '../../support/shared';
import { loadRealFaces } from './support/real-faces';

/** Also warms the .cache of real embeddings the other people tests and the bench read. */
describeWithShared('real labelled faces for the people tests', () => {
  it.each([
    ['faces-celebs', undefined],
    ['faces-lfw-dev', 100],
  ] as const)(
    '%s (identities: %s): nearly every labelled photo yields a centred, unit-length embedding',
    async (set, identities) => {
      const faces = await loadRealFaces(set, { identities });
      const labelled = faces.filter((f) => f.identity);
      const rows = readLabels(sharedPhotos(set, 'labels.csv')).filter((row) => !row.identity?.startsWith('MULTI:'));
      const sampled = new Set([...new Set(rows.map((r) => r.identity))].slice(0, identities ?? Infinity));
      const labelledPhotos = rows.filter((r) => sampled.has(r.identity));
      expect(labelled.length / labelledPhotos.length).toBeGreaterThan(0.97);
      for (const face of labelled.slice(0, 50)) expect(Math.hypot(...face.embedding)).toBeCloseTo(1, 3);
    },
    900_000,
  );
});

import { expect, it } from 'vitest';
import { bcubed } from '../../../bench/people/bcubed';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { describeWithShared } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { immichLabels } from './support/immich-on-library';
import { libraryWithFaces } from './support/library-fixture';
import { loadRealFaces } from './support/real-faces';

/** The people `facet index` forms, scored against true identities by each labelled photo's centred face. */
describeWithShared('clustering real faces through the library', () => {
  // LFW-dev in full (628 people) is `facet bench people`; here its first 100 identities keep the suite fast.
  it.each([
    ['faces-celebs', undefined],
    ['faces-lfw-dev', 100],
  ] as const)(
    '%s (identities: %s): BCubed F1 ≥ 0.95 and above Immich on the same embeddings; never two faces of one photo in a person',
    async (set, identities) => {
      const faces = await loadRealFaces(set, { identities });
      const { library, faceIds } = libraryWithFaces(tempDir(), faces);
      runIncrementalClustering(library);
      const personOf = new Map(
        (library.db.prepare('SELECT id, person_id AS personId FROM faces').all() as { id: number; personId: number | null }[]).map((r) => [
          r.id,
          r.personId,
        ]),
      );
      const scored = faces
        .map((f, i) => ({ identity: f.identity, person: personOf.get(faceIds[i]!) ?? null }))
        .filter((s) => s.identity !== null);
      const facet = bcubed(
        scored.map((s) => s.identity!),
        scored.map((s) => s.person),
      );
      const immichAll = immichLabels(faces.map((f) => f.embedding));
      const immichScored = faces.map((f, i) => ({ identity: f.identity, person: immichAll[i] ?? null })).filter((s) => s.identity !== null);
      const immich = bcubed(
        immichScored.map((s) => s.identity!),
        immichScored.map((s) => s.person),
      );
      console.log(JSON.stringify({ set, facet, immich }));
      expect(facet.f1).toBeGreaterThanOrEqual(0.95);
      expect(facet.f1).toBeGreaterThan(immich.f1);
      const clashes = library.db
        .prepare(
          'SELECT photo_id, person_id, COUNT(*) AS n FROM faces WHERE person_id IS NOT NULL GROUP BY photo_id, person_id HAVING n > 1',
        )
        .all();
      expect(clashes).toEqual([]);
      library.close();
    },
    300_000,
  );
});

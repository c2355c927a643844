import { expect, it } from 'vitest';
import { writeFaceDecisions } from '../../../src/engine/library/clustering-store';
import { reviewQueue } from '../../../src/engine/library/review-queue-store';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { nameFace } from '../../../src/engine/people/naming';
import { rejectSuggestions } from '../../../src/engine/people/suggestion-review';
import { describeWithShared } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { libraryWithFaces } from './support/library-fixture';
import { facesAsTheyAre, personOf } from './support/people-fixture';
import { loadRealFaces } from './support/real-faces';

describeWithShared('a named person keeps the faces that match what the user confirmed (faces-lfw-dev)', () => {
  it('a second person the clustering put in the cluster the user named from one face is asked about, not named; "no" frees it', async () => {
    const faces = await loadRealFaces('faces-lfw-dev', { identities: 100 });
    const { library, faceIds } = libraryWithFaces(tempDir(), faces);
    runIncrementalClustering(library);
    // Two people the clustering got right, each one cluster of three or more faces.
    const byIdentity = new Map<string, number[]>();
    faces.forEach((f, i) => f.identity && byIdentity.set(f.identity, [...(byIdentity.get(f.identity) ?? []), faceIds[i]!]));
    const whole = [...byIdentity.values()].filter((ids) => {
      const person = personOf(library, ids[0]!).personId;
      return ids.length >= 3 && person !== null && ids.every((id) => personOf(library, id).personId === person);
    });
    expect(whole.length).toBeGreaterThanOrEqual(2);
    const [alice, bob] = whole as [number[], number[]];
    // The clustering's mistake, as a tight look-alike cluster would make it: Bob's faces in Alice's cluster.
    const aliceCluster = personOf(library, alice[0]!).personId!;
    writeFaceDecisions(
      library.db,
      bob.map((faceId) => ({ faceId, personId: aliceCluster, confidence: 0.99, suggestion: null })),
      facesAsTheyAre(library),
    );
    // The user names one photo of that cluster: it used to name Bob's faces "Alice" at 99%.
    nameFace(library, alice[0]!, 'Alice');
    runIncrementalClustering(library);
    for (const id of alice) expect(personOf(library, id).name).toBe('Alice');
    const confidence = library.db.prepare('SELECT confidence, suggestion_confidence AS suggested FROM faces WHERE id = ?');
    for (const id of bob) {
      expect(personOf(library, id).name).not.toBe('Alice');
      const { suggested } = confidence.get(id) as { suggested: number | null };
      expect(suggested ?? 0).toBeLessThan(0.9);
    }
    // Declining every question about Bob's faces: none of them is ever Alice again.
    const asked = reviewQueue(library.db, { limit: 1000 }).filter((q) => bob.includes(q.faceId) && q.personName === 'Alice');
    if (asked.length)
      rejectSuggestions(
        library,
        asked.map((q) => q.faceId),
      );
    runIncrementalClustering(library);
    runIncrementalClustering(library, { full: true });
    for (const id of bob) expect(personOf(library, id).name).not.toBe('Alice');
    for (const id of alice) expect(personOf(library, id).name).toBe('Alice');
    library.close();
  }, 120_000);
});

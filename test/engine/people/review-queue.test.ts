import { beforeEach, expect, it } from 'vitest';
import { splitPerson } from '../../../src/engine/people/corrections';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { nameFace } from '../../../src/engine/people/naming';
import { listSuggestions, getPerson } from '../../../src/engine/people/people-queries';
import { reviewQueue } from '../../../src/engine/library/review-queue-store';
import { reviewFlow } from '../../../bench/people/review-flow';
import { acceptSuggestions, rejectSuggestions } from '../../../src/engine/people/suggestion-review';
import { undoLastEdit } from '../../../src/engine/people/undo-log';
import { listFaces } from '../../../src/engine/library/queries';
import { describeWithShared } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { libraryWithFaces } from './support/library-fixture';
import { type ClusteredCelebs, clusteredCelebs, peopleState, personOf } from './support/people-fixture';
import { loadRealFaces } from './support/real-faces';

describeWithShared('the review queue on faces-celebs', () => {
  let c: ClusteredCelebs;
  let cluster: { personId: number; faceIds: number[] };
  let alice: number;
  beforeEach(async () => {
    c = await clusteredCelebs();
    cluster = c.clusters[0]!;
    // One photo of the largest cluster is named on its own; the rest of the cluster stays unnamed.
    const split = splitPerson(c.library, cluster.personId, [cluster.faceIds[0]!]);
    alice = nameFace(c.library, cluster.faceIds[0]!, 'Alice').personId!;
    expect(split.personId).toBe(alice);
    runIncrementalClustering(c.library);
  });

  it('asks about an unnamed cluster once, first, through one face; "yes" names the whole cluster, and undo restores it', () => {
    const queue = reviewQueue(c.library.db);
    const rest = cluster.faceIds.slice(1);
    expect(queue[0]).toMatchObject({ personId: alice, personName: 'Alice', settles: rest.length });
    expect(rest).toContain(queue[0]!.faceId);
    expect(queue.filter((q) => rest.includes(q.faceId))).toHaveLength(1);
    // Every face of the cluster shows the guess in `facet faces`, with its calibrated confidence.
    for (const face of listFaces(c.library.db).filter((f) => rest.includes(f.id)))
      expect(face.suggestion).toMatchObject({ personName: 'Alice', confidence: queue[0]!.confidence });
    expect(getPerson(c.library.db, alice).suggestionCount).toBe(listSuggestions(c.library.db, { personId: alice }).length);
    const before = peopleState(c.library);
    acceptSuggestions(c.library, [queue[0]!.faceId]);
    for (const id of cluster.faceIds) expect(personOf(c.library, id).name).toBe('Alice');
    expect(personOf(c.library, queue[0]!.faceId).assignment).toBe('confirmed');
    undoLastEdit(c.library.db);
    expect(peopleState(c.library)).toBe(before);
  });

  it('a declined person is never suggested again for that face or its cluster, whatever is re-clustered', () => {
    const [first] = reviewQueue(c.library.db);
    rejectSuggestions(c.library, [first!.faceId]);
    for (const full of [false, true]) {
      runIncrementalClustering(c.library, { full });
      const rest = cluster.faceIds.slice(1);
      for (const face of listFaces(c.library.db).filter((f) => rest.includes(f.id))) {
        expect(face.suggestion?.personId).not.toBe(alice);
        expect(face.person).not.toBe(alice);
      }
    }
  });
});

describeWithShared('the review journey on faces-lfw-dev, first 100 people', () => {
  it('name one photo each, three rounds of review: coverage, accuracy ≥ 0.97, ECE ≤ 0.05, confident claims right ≥ 98%', async () => {
    const faces = await loadRealFaces('faces-lfw-dev', { identities: 100 });
    const { library, faceIds } = libraryWithFaces(tempDir(), faces);
    runIncrementalClustering(library);
    const labelled = faces.flatMap((f, i) => (f.identity ? [{ faceId: faceIds[i]!, identity: f.identity }] : []));
    const report = reviewFlow(library, labelled, 3);
    const last = report.rounds.at(-1)!;
    console.log(JSON.stringify({ reviewed: report.reviewed, afterNaming: report.afterNaming, last }));
    expect(last.coverage).toBeGreaterThanOrEqual(0.97);
    expect(last.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(last.ece).toBeLessThanOrEqual(0.05);
    expect(last.confidentRight).toBeGreaterThanOrEqual(0.98);
    expect(report.rounds[0]!.accepted).toBeGreaterThan(0);
    library.close();
  }, 300_000);
});

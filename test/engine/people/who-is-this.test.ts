import { beforeEach, expect, it } from 'vitest';
import { Library } from '../../../src/engine/library/library';
import { splitPerson } from '../../../src/engine/people/corrections';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { nameCluster, nameFace } from '../../../src/engine/people/naming';
import { reviewQueue } from '../../../src/engine/library/review-queue-store';
import { rejectSuggestions } from '../../../src/engine/people/suggestion-review';
import { undoLastEdit } from '../../../src/engine/people/undo-log';
import { describeWithShared } from '../../support/shared';
import { type ClusteredCelebs, clusteredCelebs, peopleState, personOf } from './support/people-fixture';

/** The cluster questions of the queue, by cluster. */
function clusterQuestions(library: Library): ReturnType<typeof reviewQueue> {
  return reviewQueue(library.db).filter((q) => q.kind === 'cluster');
}

describeWithShared('"Who is this?": unnamed clusters in the review queue (faces-celebs, real embeddings)', () => {
  let c: ClusteredCelebs;
  beforeEach(async () => {
    c = await clusteredCelebs();
  });

  it('asks once per unnamed cluster of two or more, through a member, bigger clusters first; naming it names them all, and undo asks again', () => {
    const questions = clusterQuestions(c.library);
    const clusters = c.clusters.filter((cl) => cl.faceIds.length >= 2);
    expect(questions).toHaveLength(clusters.length);
    for (const q of questions) {
      // Nobody is named yet: no guess, a "Who is this?".
      expect(q).toMatchObject({ personId: null, personName: null, confidence: null });
      const cluster = clusters.find((cl) => cl.personId === q.clusterId)!;
      expect(q.settles).toBe(cluster.faceIds.length);
      expect(q.faceIds[0]).toBe(q.faceId);
      expect(q.faceIds.length).toBe(Math.min(4, cluster.faceIds.length));
      for (const id of q.faceIds) expect(cluster.faceIds).toContain(id);
    }
    const sizes = questions.map((q) => q.settles);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));

    const before = peopleState(c.library);
    const [first] = questions;
    const cluster = c.clusters.find((cl) => cl.personId === first!.clusterId)!;
    nameCluster(c.library, first!.faceIds, 'Alice');
    for (const id of cluster.faceIds) expect(personOf(c.library, id).name).toBe('Alice');
    // What the user saw is confirmed; the rest joined with the cluster and stays automatic.
    for (const id of cluster.faceIds) expect(personOf(c.library, id).assignment).toBe(first!.faceIds.includes(id) ? 'confirmed' : 'auto');
    expect(clusterQuestions(c.library).map((q) => q.clusterId)).not.toContain(first!.clusterId);

    undoLastEdit(c.library.db);
    expect(peopleState(c.library)).toBe(before);
    // Asked again at once, as it was (not only after the next re-cluster).
    expect(clusterQuestions(c.library)[0]).toEqual(first);

    // Answered again: the confirmed faces vouch for the rest, so a re-cluster keeps the whole cluster named.
    nameCluster(c.library, first!.faceIds, 'Alice');
    runIncrementalClustering(c.library);
    for (const id of cluster.faceIds) expect(personOf(c.library, id).name).toBe('Alice');
  });

  it('a cluster of someone the library knows: a typed name merges it into that person; a declined guess never returns, across re-clusters and a restart', () => {
    const [biggest, second] = c.clusters;
    // One photo of the biggest cluster named on its own: the rest is a question with a guess.
    splitPerson(c.library, biggest!.personId, [biggest!.faceIds[0]!]);
    const alice = nameFace(c.library, biggest!.faceIds[0]!, 'Alice').personId!;
    runIncrementalClustering(c.library);
    const asked = clusterQuestions(c.library).find((q) => q.clusterId === biggest!.personId)!;
    expect(asked).toMatchObject({ personId: alice, personName: 'Alice', settles: biggest!.faceIds.length - 1 });
    expect(asked.confidence).toBeGreaterThan(0.1);
    const people = c.library.db.prepare('SELECT COUNT(*) FROM people').pluck().get() as number;
    nameCluster(c.library, asked.faceIds, 'Alice');
    expect(c.library.db.prepare('SELECT COUNT(*) FROM people').pluck().get()).toBe(people - 1);
    for (const id of biggest!.faceIds) expect(personOf(c.library, id)).toMatchObject({ personId: alice, name: 'Alice' });

    // The user names one photo of a second person "Bob", then declines "Is this Bob?" for the rest (a slip).
    splitPerson(c.library, second!.personId, [second!.faceIds[0]!]);
    const declined = nameFace(c.library, second!.faceIds[0]!, 'Bob').personId!;
    runIncrementalClustering(c.library);
    const other = clusterQuestions(c.library).find((q) => q.clusterId === second!.personId)!;
    expect(other).toMatchObject({ personId: declined, personName: 'Bob' });
    rejectSuggestions(c.library, [other.faceId]);
    expect(clusterQuestions(c.library).map((q) => q.clusterId)).not.toContain(second!.personId);
    const dir = c.library.paths.root;
    for (const full of [false, true]) {
      runIncrementalClustering(c.library, { full });
      const again = clusterQuestions(c.library).find((q) => q.faceIds.includes(other.faceId));
      expect(again).toBeDefined();
      expect(again!.personId).not.toBe(declined);
    }
    c.library.close();
    c.library = Library.open(dir);
    runIncrementalClustering(c.library, { full: true });
    const afterRestart = clusterQuestions(c.library).find((q) => q.faceIds.includes(other.faceId));
    expect(afterRestart).toBeDefined();
    expect(afterRestart!.personId).not.toBe(declined);
    for (const id of second!.faceIds.slice(1)) expect(personOf(c.library, id).personId).not.toBe(declined);

    // Undo of the decline (after the restart): the guess is back as it was.
    undoLastEdit(c.library.db);
    expect(
      c.library.db.prepare('SELECT COUNT(*) FROM face_rejections WHERE face_id = ? AND person_id = ?').pluck().get(other.faceId, declined),
    ).toBe(0);
    c.library.close();
  });

  it('refuses to name faces that are not all of one unnamed cluster, and changes nothing', () => {
    const [a, b] = c.clusters;
    const before = peopleState(c.library);
    expect(() => nameCluster(c.library, [a!.faceIds[0]!, b!.faceIds[0]!], 'Alice')).toThrow(/not all in one unnamed cluster/);
    nameFace(c.library, a!.faceIds[0]!, 'Alice');
    const named = peopleState(c.library);
    expect(() => nameCluster(c.library, a!.faceIds.slice(0, 2), 'Bob')).toThrow(/not all in one unnamed cluster/);
    expect(peopleState(c.library)).toBe(named);
    undoLastEdit(c.library.db);
    expect(peopleState(c.library)).toBe(before);
  });
});

import { beforeEach, expect, it } from 'vitest';
import type { SuggestionInfo } from '../../../src/common/api/people';
import { reviewQueue } from '../../../src/engine/library/review-queue-store';
import { mergePeople, rejectFaces, splitPerson } from '../../../src/engine/people/corrections';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { nameFace, namePerson } from '../../../src/engine/people/naming';
import { acceptSuggestions, rejectSuggestions } from '../../../src/engine/people/suggestion-review';
import { undoLastEdit } from '../../../src/engine/people/undo-log';
import { describeWithShared } from '../../support/shared';
import { type ClusteredCelebs, clusteredCelebs, peopleState, personOf } from './support/people-fixture';

/**
 * A mixed unnamed cluster (two people's photos, as degraded look-alikes end up on hard photos): no
 * one answer fits it, so after its guesses are declined each member is asked about on its own.
 */
describeWithShared('a mixed unnamed cluster: its members are asked one by one (faces-celebs, real embeddings)', () => {
  let c: ClusteredCelebs;
  let mixed: number;
  /** The mixed cluster's faces, each with the named person it really is. */
  let truth: Map<number, number>;
  const memberQuestions = (): SuggestionInfo[] => reviewQueue(c.library.db).filter((q) => q.clusterId === mixed && q.kind === 'face');

  beforeEach(async () => {
    c = await clusteredCelebs();
    // Five people: all photos but one of each are named; the one left of each ends up in one cluster
    // with the others (what blur does to look-alikes on hard photos).
    const people = c.clusters.filter((cl) => cl.faceIds.length >= 2).slice(0, 5);
    expect(people).toHaveLength(5);
    truth = new Map();
    people.forEach((cl, i) => {
      const named = splitPerson(c.library, cl.personId, cl.faceIds.slice(1)).personId!;
      namePerson(c.library, named, `Person ${i + 1}`);
      truth.set(cl.faceIds[0]!, named);
    });
    mixed = people[0]!.personId;
    for (const cl of people.slice(1)) mergePeople(c.library, cl.personId, mixed);
    // A guess for the whole cluster, if any, is declined until none is left: no one explains all of it.
    for (let i = 0; i < 5; i++) {
      runIncrementalClustering(c.library);
      const guess = reviewQueue(c.library.db).find((q) => q.kind === 'cluster' && q.clusterId === mixed && q.personId !== null);
      if (!guess) break;
      rejectSuggestions(c.library, [guess.faceId]);
    }
    runIncrementalClustering(c.library);
  });

  it('each member is asked about on its own, about the person it really is; "Who is this?" only through a member without a guess', () => {
    const members = memberQuestions();
    expect(members.length).toBeGreaterThanOrEqual(3);
    const whoIsThis = reviewQueue(c.library.db).filter((q) => q.clusterId === mixed && q.kind === 'cluster');
    expect(whoIsThis.length).toBe(members.length < truth.size ? 1 : 0);
    // "Review N faces" counts each face once: the cluster's question settles the members not asked alone.
    for (const q of whoIsThis) expect(q).toMatchObject({ personId: null, confidence: null, settles: truth.size - members.length });
    for (const q of members) {
      expect(q).toMatchObject({ settles: 1, faceIds: [q.faceId] });
      expect(q.confidence).toBeGreaterThanOrEqual(0.1);
      expect(q.personId).toBe(truth.get(q.faceId));
    }
    // The person's page lists the question about their face too.
    const [first] = members;
    expect(reviewQueue(c.library.db, { personId: first!.personId! }).map((q) => q.faceId)).toContain(first!.faceId);
  });

  it('a face that left its cluster since its question was written is asked about alone, whatever kind was stored', () => {
    const [member] = memberQuestions();
    // As an edit that unassigns faces, or a re-cluster cut short, leaves it.
    c.library.db.prepare(`UPDATE faces SET person_id = NULL, suggestion_kind = 'cluster' WHERE id = ?`).run(member!.faceId);
    const question = reviewQueue(c.library.db).find((q) => q.faceId === member!.faceId);
    expect(question).toMatchObject({ kind: 'face', clusterId: null, settles: 1, faceIds: [member!.faceId] });
  });

  it('"yes" to a member moves that face alone; "no" declines it for that face alone; undo asks both again', () => {
    const members = memberQuestions();
    const [yes, no, other] = members;
    const before = peopleState(c.library);
    acceptSuggestions(c.library, [yes!.faceId]);
    expect(personOf(c.library, yes!.faceId)).toMatchObject({ personId: yes!.personId, assignment: 'confirmed' });
    // The rest of the cluster stays as it was.
    for (const id of [...truth.keys()].filter((f) => f !== yes!.faceId)) expect(personOf(c.library, id).personId).toBe(mixed);

    rejectSuggestions(c.library, [no!.faceId]);
    const left = reviewQueue(c.library.db)
      .filter((q) => q.clusterId === mixed)
      .map((q) => q.faceId);
    expect(left).not.toContain(no!.faceId);
    // A "no" about one face says nothing about the others.
    expect(left).toContain(other!.faceId);

    undoLastEdit(c.library.db);
    undoLastEdit(c.library.db);
    expect(peopleState(c.library)).toBe(before);
    expect(memberQuestions()).toEqual(members);
  });

  it('a typed name for a member names that face alone, not its cluster', () => {
    const [member] = memberQuestions();
    nameFace(c.library, member!.faceId, 'Carol', { alone: true });
    expect(personOf(c.library, member!.faceId)).toMatchObject({ name: 'Carol', assignment: 'confirmed' });
    expect(c.library.db.prepare('SELECT name FROM people WHERE id = ?').pluck().get(mixed)).toBeNull();
    for (const id of [...truth.keys()].filter((f) => f !== member!.faceId)) expect(personOf(c.library, id).personId).toBe(mixed);
  });

  it("the People page's unassigned section reads the same queue: only questions about faces that belong to nobody, clearest first", () => {
    // Members taken out of the cluster by hand belong to nobody: each joins its person or is asked about
    // it in the unassigned section.
    const taken = memberQuestions().slice(0, 2);
    for (const q of taken) rejectFaces(c.library, [q.faceId]);
    runIncrementalClustering(c.library);
    const all = reviewQueue(c.library.db);
    const unassigned = reviewQueue(c.library.db, { unassigned: true });
    for (const q of taken) {
      const joined = personOf(c.library, q.faceId).personId === truth.get(q.faceId);
      const asked = unassigned.some((u) => u.faceId === q.faceId && u.personId === truth.get(q.faceId));
      expect(joined || asked).toBe(true);
    }
    expect(unassigned.length).toBeGreaterThan(0);
    expect(unassigned).toEqual(all.filter((q) => q.clusterId === null));
    expect(all.some((q) => q.clusterId === mixed)).toBe(true);
    expect(unassigned.every((q) => q.kind === 'face' && q.personName !== null && q.confidence! >= 0.1)).toBe(true);
  });
});

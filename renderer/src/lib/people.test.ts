import { afterEach, describe, expect, it } from 'vitest';
import type { SuggestionInfo } from '../../../src/common/api/people';
import { type RecordedCall, recordingBridge } from '../test-support/recording-bridge';
import { people } from './people.svelte';

const question = (faceId: number, personName: string, confidence: number): SuggestionInfo => ({
  kind: 'face',
  faceId,
  photoId: faceId,
  personId: faceId * 10,
  personName,
  confidence,
  settles: 1,
  clusterId: null,
  faceIds: [faceId],
  photoIds: [faceId],
});

/** A bridge answering as the engine would: the queue's unassigned questions, and faces that belong to nobody. */
function engineWith(queue: () => SuggestionInfo[]): RecordedCall[] {
  return recordingBridge((channel) => {
    switch (channel) {
      case 'people.suggestions':
        return queue();
      case 'people.list':
        return [];
      case 'library.faces':
        return [1, 2, 3, 4].map((id) => ({ id, photoId: id, box: [0, 0, 10, 10] }));
      case 'library.status':
        return { counts: { unassignedFaces: 4 } };
      case 'people.recluster':
        return { queued: false };
      default:
        return { undoId: 1, summary: 'ok', personId: null };
    }
  });
}

afterEach(() => {
  delete window.facet;
});

describe("the People page's unassigned questions", () => {
  it('reads the queue of unassigned faces; a skipped question goes last and stays last after a reload', async () => {
    let queue = [question(1, 'Alice', 0.8), question(2, 'Bob', 0.4), question(3, 'Alice', 0.2)];
    const calls = engineWith(() => queue);
    await people.reload();
    expect(calls.find((c) => c.channel === 'people.suggestions')?.input).toMatchObject({ unassigned: true });
    expect(people.questions.map((q) => q.faceId)).toEqual([1, 2, 3]);
    // Each face shows once: those asked about are not in the list of faces without a guess.
    expect(people.unassignedWithoutQuestion.map((f) => f.id)).toEqual([4]);

    people.skipQuestion(1);
    expect(people.questions.map((q) => q.faceId)).toEqual([2, 3, 1]);
    await people.reload();
    expect(people.questions.map((q) => q.faceId)).toEqual([2, 3, 1]);

    // Yes to Bob: one edit, then the suggestions are refreshed and the queue asked again.
    queue = [question(1, 'Alice', 0.8), question(3, 'Alice', 0.3)];
    await people.acceptQuestion(2);
    const channels = calls.map((c) => c.channel);
    expect(calls.find((c) => c.channel === 'people.acceptSuggestions')?.input).toEqual({ faceIds: [2] });
    expect(channels.lastIndexOf('people.recluster')).toBeGreaterThan(channels.indexOf('people.acceptSuggestions'));
    expect(people.questions.map((q) => q.faceId)).toEqual([3, 1]);

    await people.declineQuestion(3);
    expect(calls.find((c) => c.channel === 'people.rejectSuggestions')?.input).toEqual({ faceIds: [3] });
  });
});

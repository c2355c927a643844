import { expect, it } from 'vitest';
import { writeFaceDecisions } from '../../../src/engine/library/clustering-store';
import { mergePeople, moveFaces, rejectFaces } from '../../../src/engine/people/corrections';
import { rejectSuggestions } from '../../../src/engine/people/suggestion-review';
import { describeWithShared } from '../../support/shared';
import { clusteredCelebs, facesAsTheyAre, personOf } from '../people/support/people-fixture';

// A clustering run decides from what it read, and the user edits in another process meanwhile (the app's
// main process applies edits while the worker clusters). These are the edits a run's late write used to undo.
describeWithShared('a clustering run never overwrites an edit made while it was deciding (faces-celebs)', () => {
  it('keeps rejections, moves and merges made after the run read the faces, and drops a suggestion declined meanwhile', async () => {
    const { library, clusters } = await clusteredCelebs();
    const multi = clusters.filter((c) => c.faceIds.length >= 2);
    expect(multi.length).toBeGreaterThanOrEqual(6);
    const [a, b, c, d, e, f] = multi as [
      (typeof multi)[0],
      (typeof multi)[0],
      (typeof multi)[0],
      (typeof multi)[0],
      (typeof multi)[0],
      (typeof multi)[0],
    ];
    const [rejectedFace, movedFace, mergedFace, untouched, declined] = [
      a.faceIds[0]!,
      b.faceIds[0]!,
      d.faceIds[0]!,
      f.faceIds[0]!,
      f.faceIds[1]!,
    ];
    // An earlier run suggested person c for one of f's faces.
    writeFaceDecisions(
      library.db,
      [{ faceId: declined, personId: f.personId, confidence: 0.6, suggestion: { personId: c.personId, confidence: 0.3, value: 0.3 } }],
      facesAsTheyAre(library),
    );

    // The run reads the faces, then decides...
    const seen = facesAsTheyAre(library);
    // ...while the user: removes a face from a, moves one of b's faces to c, merges d into e, declines the suggestion.
    rejectFaces(library, [rejectedFace]);
    moveFaces(library, [movedFace], c.personId);
    mergePeople(library, d.personId, e.personId);
    rejectSuggestions(library, [declined]);

    // The run's decisions, made on what it read: every face stays where it was, one face of f joins d.
    writeFaceDecisions(
      library.db,
      [
        { faceId: rejectedFace, personId: a.personId, confidence: 0.95, suggestion: null },
        { faceId: movedFace, personId: b.personId, confidence: 0.95, suggestion: null },
        { faceId: mergedFace, personId: d.personId, confidence: 0.95, suggestion: null },
        { faceId: f.faceIds[0]!, personId: d.personId, confidence: 0.95, suggestion: null },
        { faceId: declined, personId: f.personId, confidence: 0.61, suggestion: { personId: c.personId, confidence: 0.31, value: 0.31 } },
      ],
      seen,
    );

    expect(personOf(library, rejectedFace).personId).toBeNull();
    expect(personOf(library, movedFace)).toMatchObject({ personId: c.personId, assignment: 'confirmed' });
    expect(personOf(library, mergedFace).personId).toBe(e.personId);
    // A decision for a person merged away is dropped: the face stays with f.
    expect(personOf(library, untouched).personId).toBe(f.personId);
    // A face nobody touched still gets the run's decision, without the suggestion the user declined meanwhile.
    const row = library.db
      .prepare('SELECT person_id AS personId, confidence, suggested_person_id AS suggested FROM faces WHERE id = ?')
      .get(declined);
    expect(row).toEqual({ personId: f.personId, confidence: 0.61, suggested: null });
    library.close();
  }, 120_000);
});

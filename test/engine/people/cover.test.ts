import { beforeEach, expect, it } from 'vitest';
import { moveFaces } from '../../../src/engine/people/corrections';
import { nameFace } from '../../../src/engine/people/naming';
import { listPeople } from '../../../src/engine/people/people-queries';
import { describeWithShared } from '../../support/shared';
import { type ClusteredCelebs, clusteredCelebs } from './support/people-fixture';

describeWithShared('a person’s cover face', () => {
  let c: ClusteredCelebs;
  beforeEach(async () => {
    c = await clusteredCelebs();
  });

  const quality = (faceId: number): number =>
    (c.library.db.prepare('SELECT quality FROM faces WHERE id = ?').get(faceId) as { quality: number }).quality;
  const coverOf = (personId: number): number | null => listPeople(c.library.db).find((p) => p.id === personId)!.coverFaceId;

  it('is the sharpest confirmed face, and a blurry stranger the user accepted never beats a clearly sharper face', () => {
    const person = c.clusters.find((cl) => cl.faceIds.length >= 3)!;
    const byQuality = [...person.faceIds].sort((a, b) => quality(b) - quality(a));
    const best = quality(byQuality[0]!);
    // Named through its poorest face (the user clicked whichever face the list showed): that face is confirmed.
    const named = byQuality.at(-1)!;
    nameFace(c.library, named, 'Angelina');
    // A stranger of middling quality (good enough to be suggested, clearly blurrier than the person's best),
    // better than the face the person was named through: accepted into the person, i.e. confirmed.
    const others = c.clusters.filter((cl) => cl !== person).flatMap((cl) => cl.faceIds);
    const stranger = others.find((id) => quality(id) >= 0.5 && quality(id) < 0.75 * best && quality(id) > quality(named));
    expect(stranger, 'faces-celebs has a middling face of someone else').toBeDefined();
    moveFaces(c.library, [stranger!], person.personId);
    expect(coverOf(person.personId)).toBe(byQuality[0]);

    // A confirmed face nearly as sharp as the best (an automatic one) wins: the user's word counts among equals.
    const sharpConfirmed = byQuality[1]!;
    moveFaces(c.library, [sharpConfirmed], person.personId);
    expect(quality(sharpConfirmed)).toBeGreaterThan(0.8 * best);
    expect(coverOf(person.personId)).toBe(sharpConfirmed);
  });
});

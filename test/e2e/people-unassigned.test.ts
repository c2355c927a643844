/// <reference lib="dom" />
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FaceInfo } from '../../src/common/api';
import type { PersonSummary, SuggestionInfo } from '../../src/common/api/people';
import type { Engine } from '../../src/engine/engine';
import { describeWithShared } from '../support/shared';
import { HAS_CHROMIUM } from './support/browser';
import { type LabelledPeopleApp, labelledPeopleApp } from './support/labelled-people-app';
import { screenshot } from './support/screens';

const describeApp = HAS_CHROMIUM ? describeWithShared : describeWithShared.skip;

/**
 * The People page's unassigned section reads the review queue, in Debian's Chromium over the real
 * engine: 30 people of LFW-dev (4-8 photos each) are indexed with real detection, embeddings and
 * clustering, and one photo of each is named. Faces that belong to nobody are asked about in place,
 * clearest first, with the calibrated confidence ("Is this Alice? 36%"): Y accepts, N declines, S skips.
 */
describeApp('Unassigned faces are questions, answered in place on the People page', () => {
  let page: Page;
  let people: LabelledPeopleApp;
  let identityOf: Map<string, string>;
  const api = <T>(channel: Parameters<Engine['call']>[0], input: object = {}) => people.api<T>(channel, input);

  beforeAll(async () => {
    people = await labelledPeopleApp('facet-e2e-people-unassigned-', { name: 'faces-lfw-dev', images: 'images' }, (counts) =>
      [...counts]
        .filter(([, n]) => n >= 4 && n <= 8)
        .slice(0, 30)
        .map(([identity]) => identity),
    );
    identityOf = people.identityOf;
    // The user names one photo of each person (the centred face of the first photo).
    const named = new Set<string>();
    for (const face of await api<FaceInfo[]>('library.faces', { limit: 1000 })) {
      const who = identityOf.get(path.basename(face.photo));
      if (!who || named.has(who)) continue;
      named.add(who);
      await api('people.nameFace', { faceId: face.id, name: who });
    }
    await api('people.recluster', {});
    page = await people.open();
  }, 600_000);

  afterAll(() => people?.app.close());

  const whoIs = async (faceId: number): Promise<string | undefined> => {
    const face = (await api<FaceInfo[]>('library.faces', { limit: 1000 })).find((f) => f.id === faceId);
    return face ? identityOf.get(path.basename(face.photo)) : undefined;
  };

  it("lists the queue's questions about unassigned faces, clearest first with their confidence; Y, N and S answer in place", async () => {
    const queue = await api<SuggestionInfo[]>('people.suggestions', { unassigned: true, limit: 24 });
    expect(queue.length, 'faces that belong to nobody but resemble a named person').toBeGreaterThanOrEqual(3);
    expect(queue.every((q) => q.kind === 'face' && q.clusterId === null && q.personName !== null)).toBe(true);

    await page.getByRole('navigation').getByRole('button', { name: 'People', exact: true }).click();
    const section = page.getByTestId('unassigned-questions');
    const items = section.locator('[data-suggestion]');
    await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(queue.length);
    const ids = () => items.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-suggestion'))));
    expect(await ids()).toEqual(queue.map((q) => q.faceId));
    const asked = (q: SuggestionInfo) => `Is this ${q.personName}? ${Math.round(q.confidence! * 100)}%`;
    const askedNow = () =>
      items.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-suggestion')} ${e.getAttribute('aria-label')}`));
    expect(await items.first().getAttribute('aria-label')).toBe(asked(queue[0]!));
    expect(await section.getByText(asked(queue[1]!)).count()).toBeGreaterThan(0);
    // A face asked about is not listed again among the faces without a guess.
    expect(await page.locator(`.faces [data-face-id="${queue[0]!.faceId}"]`).count()).toBe(0);
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'people-unassigned-questions');

    // S: the first question moves to the end; nothing is saved.
    await items.first().focus();
    await page.keyboard.press('s');
    await expect.poll(ids).toEqual([...queue.slice(1), queue[0]!].map((q) => q.faceId));

    // Y or N, as the truth says: the engine saves it and the section asks what is left.
    const next = queue[1]!;
    const right = (await whoIs(next.faceId)) === next.personName;
    await items.first().focus();
    await page.keyboard.press(right ? 'y' : 'n');
    // Gone, or (after a "no") asked about the next best person.
    const question = `${next.faceId} ${asked(next)}`;
    await expect.poll(askedNow, { timeout: 20_000 }).not.toContain(question);
    if (right) {
      const person = (await api<PersonSummary[]>('people.list')).find((p) => p.name === next.personName)!;
      const faces = await api<FaceInfo[]>('people.faces', { id: person.id, limit: 100 });
      expect(faces.map((f) => f.id)).toContain(next.faceId);
    } else {
      const again = await api<SuggestionInfo[]>('people.suggestions', { unassigned: true, limit: 1000 });
      expect(again.find((q) => q.faceId === next.faceId)?.personId).not.toBe(next.personId);
    }
    // The skipped question stays last for this visit.
    expect((await ids()).at(-1)).toBe(queue[0]!.faceId);

    // Undo from the toast brings the question back.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(askedNow, { timeout: 20_000 }).toContain(question);
  });
});

/// <reference lib="dom" />
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PersonDetail, PersonSummary, SuggestionInfo } from '../../src/common/api/people';
import type { Engine } from '../../src/engine/engine';
import { describeWithShared } from '../support/shared';
import { HAS_CHROMIUM } from './support/browser';
import { type LabelledPeopleApp, labelledPeopleApp } from './support/labelled-people-app';
import { screenshot } from './support/screens';

const describeApp = HAS_CHROMIUM ? describeWithShared : describeWithShared.skip;

/**
 * "Who is this?" in Debian's Chromium over the real engine: the portraits of three people are indexed
 * (real detection, embeddings and clustering), nobody is named, so the review asks about each cluster
 * with its faces. The user types a name (T, Enter), the counts fall, the engine names the whole cluster
 * and confirms the faces shown; ← undoes it.
 */
describeApp('Naming an unnamed cluster from the review, end to end in the app', () => {
  let page: Page;
  let people: LabelledPeopleApp;
  let identityOf: Map<string, string>;
  const api = <T>(channel: Parameters<Engine['call']>[0], input: object = {}) => people.api<T>(channel, input);

  beforeAll(async () => {
    people = await labelledPeopleApp('facet-e2e-people-review-', { name: 'faces-celebs' }, (counts) => [...counts.keys()].slice(0, 3));
    identityOf = people.identityOf;
    page = await people.open();
  }, 300_000);

  afterAll(() => people?.app.close());

  /** Who the faces of a question are, from the labels of their photos (the test's answer key). */
  async function whoIs(question: SuggestionInfo): Promise<string> {
    const faces = await api<{ photo: string }[]>('people.faces', { id: question.clusterId, limit: 100 });
    const votes = new Map<string, number>();
    for (const face of faces) {
      const who = identityOf.get(path.basename(face.photo));
      if (who) votes.set(who, (votes.get(who) ?? 0) + 1);
    }
    return [...votes].sort((a, b) => b[1] - a[1])[0]![0];
  }

  it('asks "Who is this?" with the cluster\'s faces; a typed name names it all, the counts fall, ← undoes', async () => {
    const queue = await api<SuggestionInfo[]>('people.suggestions', { limit: 2000 });
    const clusters = queue.filter((q) => q.kind === 'cluster');
    expect(clusters.length, 'one question per unnamed cluster of the three people').toBeGreaterThanOrEqual(3);
    const first = queue[0]!;
    expect(first).toMatchObject({ kind: 'cluster', personName: null });
    const name = (await whoIs(first)).replace(/_/g, ' ');

    await page.getByRole('navigation').getByRole('button', { name: 'People', exact: true }).click();
    const start = page.getByTestId('review-button');
    await expect.poll(() => start.textContent(), { timeout: 20_000 }).toBe(`Review ${queue.reduce((sum, q) => sum + q.settles, 0)} faces`);
    await start.click();
    const sheet = page.getByTestId('review');
    await expect.poll(() => sheet.getByTestId('review-ask').textContent()).toContain('Who is this?');
    expect(Number(await sheet.locator('[data-face-id]').getAttribute('data-face-id'))).toBe(first.faceId);
    await expect.poll(() => sheet.getByTestId('review-members').locator('img').count()).toBe(first.faceIds.length - 1);
    await expect.poll(() => sheet.getByText(`Naming answers for ${first.settles} faces`).isVisible()).toBe(true);
    // Without a guess there is nothing to say yes or no to.
    expect(await sheet.getByRole('button', { name: 'Yes (Y)' }).count()).toBe(0);
    const left = () => sheet.getByTestId('review-left').textContent();
    expect(await left()).toContain(`${queue.length} questions left`);
    const faces = queue.reduce((n, q) => n + q.settles, 0);
    expect(await left()).toContain(`${faces} faces`);
    await screenshot(page, 'people-review-who-is-this');

    await page.keyboard.press('t');
    const field = sheet.getByTestId('review-name');
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await expect.poll(left).toContain(`${queue.length - 1} question`);
    expect(await left()).toContain(`${faces - first.settles} faces`);

    // The engine named the whole cluster and confirmed exactly the faces the user saw.
    await expect
      .poll(async () => (await api<PersonSummary[]>('people.list')).find((p) => p.name === name)?.faceCount ?? 0, { timeout: 20_000 })
      .toBe(first.settles);
    const person = (await api<PersonSummary[]>('people.list')).find((p) => p.name === name)!;
    expect((await api<PersonDetail>('people.get', { id: person.id })).confirmedCount).toBe(first.faceIds.length);

    // The next question offers the new name as you type.
    await page.keyboard.press('t');
    await expect
      .poll(() => sheet.locator('datalist option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value)))
      .toContain(name);
    await page.keyboard.press('Escape');

    await page.keyboard.press('ArrowLeft'); // back to the named cluster: its name is undone
    await expect.poll(() => sheet.getByTestId('review-ask').textContent()).toContain('Who is this?');
    expect(Number(await sheet.locator('[data-face-id]').getAttribute('data-face-id'))).toBe(first.faceId);
    await expect
      .poll(async () => (await api<PersonSummary[]>('people.list')).some((p) => p.name === name), { timeout: 20_000 })
      .toBe(false);
    expect(await left()).toContain(`${queue.length} questions left`);

    // H: a stranger's cluster is hidden (as from their card) and asked no more; ← shows them again.
    await page.keyboard.press('h');
    await expect.poll(left).toContain(`${queue.length - 1} question`);
    const hidden = async () => (await api<PersonDetail>('people.get', { id: first.clusterId })).hidden;
    await expect.poll(hidden, { timeout: 20_000 }).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(hidden, { timeout: 20_000 }).toBe(false);
    expect(await left()).toContain(`${queue.length} questions left`);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
  });
});

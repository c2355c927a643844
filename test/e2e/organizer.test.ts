/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiEvents, EventName } from '../../src/common/api/events';
import { unwrap } from '../../src/common/result';
import { peopleHandlers } from '../../src/engine/api/people-handlers';
import { Engine } from '../../src/engine/engine';
import { ModelManager } from '../../src/engine/models/model-manager';
import { describeWithShared, sharedPhotos } from '../support/shared';
import { HAS_CHROMIUM, launchChromium } from './support/browser';
import { bindEngine } from './support/engine-binding';
import { makePeopleFolder, serveModels } from './support/organizer-fixture';
import { RENDERER_DIR, assertRendererBuilt } from './support/renderer-build';
import { SCREENS_DIR, screenshot } from './support/screens';
import { serveStatic } from './support/static-server';

const describeApp = HAS_CHROMIUM ? describeWithShared : describeWithShared.skip;

interface Person {
  id: number;
  name: string | null;
  faceCount: number;
  hidden: boolean;
}

/**
 * Facet as an organizer, driven like a user from a brand-new library with NO models: the welcome
 * sheet, the face models downloaded through the real downloader (from a loopback copy of ../shared),
 * naming people at typing speed, the review queue, and a translated error with its action. The
 * screenshots go to test-results/screens/ like the other e2e run's.
 */
describeApp('Facet as a photo organizer, end to end on the real engine', () => {
  let engine: Engine;
  let page: Page;
  let fixture: Awaited<ReturnType<typeof makePeopleFolder>>;
  let forward: <E extends EventName>(event: E, payload: ApiEvents[E]) => void = () => {};
  const trashed: string[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  const api = async <T>(channel: Parameters<Engine['call']>[0], input: object = {}) =>
    unwrap(await engine.call(channel as never, input as never)) as T;
  const picks: string[] = [];
  /** What the app logged as errors (every error toast logs its detail). */
  const consoleErrors: string[] = [];
  /** The engine's answer to each suggestion refresh the app asks for after a name, when it failed. */
  const refreshFailures: string[] = [];
  let refreshes = 0;
  /** A home folder as a user's, so the app shows the folders as `~/Pictures/…` (and the screenshots no temp path). */
  let home: string;
  let celebrities: string;
  let groups: string;

  beforeAll(async () => {
    assertRendererBuilt();
    if (fs.existsSync(SCREENS_DIR))
      for (const f of fs.readdirSync(SCREENS_DIR)) if (f.startsWith('failed-')) fs.rmSync(path.join(SCREENS_DIR, f));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-organizer-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    home = path.join(dir, 'home', 'ana');
    fixture = await makePeopleFolder(path.join(home, 'Pictures'));
    celebrities = path.join(home, 'Pictures', 'Celebrities');
    fs.symlinkSync(sharedPhotos('faces-celebs'), celebrities, 'dir');
    groups = path.join(home, 'Pictures', 'Group photos');
    fs.symlinkSync(sharedPhotos('groups'), groups, 'dir');
    // No --models folder: the library starts without any model, as a user's does.
    const previousModels = process.env.FACET_MODELS_DIR;
    delete process.env.FACET_MODELS_DIR;
    cleanups.push(() => void (previousModels !== undefined && (process.env.FACET_MODELS_DIR = previousModels)));
    engine = Engine.open({ libraryDir: path.join(dir, 'library'), device: 'cpu', onEvent: (event, payload) => forward(event, payload) });
    cleanups.push(() => engine.close());
    const models = await serveModels();
    cleanups.push(models.close);
    engine.ctx.models = new ModelManager({
      libraryModelsDir: engine.library.paths.models,
      manifest: models.manifest,
      allowHttpLoopback: true,
    });
    const server = await serveStatic(RENDERER_DIR);
    cleanups.push(server.close);
    const browser = await launchChromium();
    cleanups.push(browser.close);
    // After Chromium started (Playwright finds its browsers under the real home): the engine's
    // os.homedir() is now the user's home, as it would be in the app.
    const previousHome = process.env.HOME;
    process.env.HOME = home;
    cleanups.push(() => void (process.env.HOME = previousHome));
    const trashDir = path.join(dir, 'Trash');
    fs.mkdirSync(trashDir);
    const bound = await bindEngine(browser.context, {
      engine,
      settingsFile: path.join(dir, 'settings.json'),
      pickFolder: () => picks.shift() ?? null,
      handlers: {
        // The system trash, as the app's main process does it once the user has confirmed in the app.
        'app.trashPhotos': (ctx, { photoIds }) => {
          for (const id of photoIds) {
            const file = (ctx.library.db.prepare('SELECT path FROM photos WHERE id = ?').pluck().get(id) as string | undefined)!;
            fs.renameSync(file, path.join(trashDir, `${id}-${path.basename(file)}`));
            trashed.push(file);
          }
          return { trashed: photoIds };
        },
        'app.openLog': () => ({ opened: true }),
        // The real handler, watched: the refresh after each name must never fail while another writer runs.
        'people.recluster': async (ctx, input) => {
          try {
            return await peopleHandlers['people.recluster'](ctx, input);
          } catch (error) {
            refreshFailures.push((error as Error).message);
            throw error;
          } finally {
            refreshes++;
          }
        },
      },
    });
    forward = bound.emit;
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    page.on('console', (message) => {
      if (message.type() !== 'error' || message.text().startsWith('Failed to load resource')) return;
      consoleErrors.push(message.text());
      console.error('console:', message.text());
    });
    await page.goto(server.url);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
  const closeToast = async () => {
    const close = page.getByTestId('toast').getByRole('button', { name: /Close|닫기/ });
    if (await close.isVisible()) await close.click();
  };
  const indexed = async () => (await api<{ counts: { indexed: number } }>('library.status')).counts.indexed;
  /** Until the run is over and at least `atLeast` photos are indexed (a run just asked for may not have begun). */
  const waitForIndexing = (atLeast = 1) =>
    expect
      .poll(async () => (await api<{ phase: string }>('index.progress')).phase === 'done' && (await indexed()) >= atLeast, {
        timeout: 300_000,
        interval: 500,
      })
      .toBe(true);

  it('first run: a welcome sheet chooses folders, gets the face models, and photos appear', async () => {
    const welcome = page.getByTestId('welcome');
    await welcome.waitFor();
    expect((await api<{ installed: boolean; task: string }[]>('models.list')).some((m) => m.installed && m.task.startsWith('face'))).toBe(
      false,
    );
    // The size of what will be downloaded is on the button.
    const getModels = welcome.getByRole('button', { name: /Get face models \(\d+(\.\d)? MB\)/ });
    await getModels.waitFor();
    picks.push(fixture.folder, celebrities);
    await welcome.getByRole('button', { name: 'Choose a folder' }).click();
    await welcome.getByText('~/Pictures/Family photos', { exact: true }).waitFor();
    await welcome.getByRole('button', { name: 'Add another' }).click();
    await welcome.getByText('~/Pictures/Celebrities', { exact: true }).waitFor();
    await getModels.click();
    await welcome.getByText('Face models ready').waitFor({ timeout: 120_000 });
    const installed = (await api<{ id: string; installed: boolean; task: string; default: boolean }[]>('models.list')).filter(
      (m) => m.installed && m.task.startsWith('face'),
    );
    expect(installed.map((m) => m.task).sort()).toEqual(['face-detection', 'face-embedding']);
    await screenshot(page, 'first-run');
    await welcome.getByRole('button', { name: 'Start' }).click();
    await welcome.waitFor({ state: 'detached' });
    // The folders chosen before the models arrived were indexed once they did: the grid fills.
    await page.locator('[data-photo-id]').first().waitFor({ timeout: 120_000 });
    await waitForIndexing();
    await expect.poll(() => page.locator('.page-header .sub').textContent(), { timeout: 20_000 }).toMatch(/^1\d\d photos$/);
  });

  it('names 20 people from the People page with nothing but typing a name and Enter', async () => {
    await nav('People');
    // Every face on the page is its own 256 px crop from facet://face/<id>, made at indexing (none is cut
    // from a 320 px thumbnail, which is what the app falls back to when a crop is missing).
    await page.locator('[data-name-for]').first().waitFor();
    await expect
      .poll(
        () => page.locator('.face img').evaluateAll((imgs) => imgs.length > 20 && imgs.every((img) => (img as HTMLImageElement).complete)),
        {
          timeout: 20_000,
        },
      )
      .toBe(true);
    const faces = await page
      .locator('.face img')
      .evaluateAll((imgs) => imgs.map((img) => [img.getAttribute('src'), (img as HTMLImageElement).naturalWidth]));
    expect(faces.length).toBeGreaterThan(20);
    expect(faces.filter(([src, width]) => !/^facet:\/\/face\/\d+$/.test(src as string) || width !== 256)).toEqual([]);
    // Typing starts at once: the first unnamed person's field has the focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-name-for'))).not.toBeNull();
    const clicks = await page.evaluate(() => {
      const w = window as unknown as { __clicks: number };
      w.__clicks = 0;
      document.addEventListener('pointerdown', () => w.__clicks++, true);
      return w.__clicks;
    });
    expect(clicks).toBe(0);
    const namesBefore = (await api<Person[]>('people.list')).filter((p) => p.name).length;
    let keystrokes = 0;
    const typed: { id: number; name: string }[] = [];
    // The user names people while indexing runs: another writer holds the writer lock for the whole
    // loop, as an index job or the text backfill does for its whole run. Each name must still save
    // without an error ("The library is busy" toasts came from the suggestion refresh after each name).
    const indexing = await engine.library.acquireWriterLock(120_000);
    const errorsBefore = consoleErrors.length;
    const refreshesBefore = refreshes;
    try {
      for (let i = 0; i < 20; i++) {
        const id = Number(await page.evaluate(() => document.activeElement?.getAttribute('data-name-for')));
        expect(id, `person ${i + 1} has the focus`).toBeGreaterThan(0);
        const name = await whoIs(id, i);
        await page.keyboard.type(name);
        await page.keyboard.press('Enter');
        keystrokes += 2; // one "type the name", one Enter
        typed.push({ id, name });
        if (i === 11) {
          // The screen as the user sees it while naming, without the "Renamed" toast of the name just typed.
          await page.getByTestId('toast').waitFor({ state: 'detached', timeout: 15_000 });
          await screenshot(page, 'people-naming');
        }
      }
      // Every name is saved, and every refresh answered, while the lock is still held.
      await expect.poll(() => refreshes - refreshesBefore, { timeout: 60_000 }).toBe(20);
      await expect
        .poll(
          async () => {
            const list = await api<Person[]>('people.list');
            return typed.filter((t) => list.find((p) => p.id === t.id)?.name === t.name).length;
          },
          { timeout: 60_000 },
        )
        .toBe(20);
    } finally {
      indexing.release();
    }
    expect(refreshFailures).toEqual([]);
    expect(consoleErrors.slice(errorsBefore)).toEqual([]);
    expect(keystrokes).toBe(20 * 2);
    expect(await page.evaluate(() => (window as unknown as { __clicks: number }).__clicks)).toBe(0);
    expect((await api<Person[]>('people.list')).filter((p) => p.name).length).toBe(namesBefore + 20);
    // Order was kept while naming: the named cards are still where they were, in the "Not named yet" section.
    const order = await page.locator('[data-name-for]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-name-for'))));
    expect(order.slice(0, 20)).toEqual(typed.map((t) => t.id));
  });

  /** Who a person is, from the labels of the photos their faces are in (the test's answer key). */
  async function whoIs(personId: number, index: number): Promise<string> {
    const faces = await api<{ photo: string }[]>('people.faces', { id: personId, limit: 100 });
    const votes = new Map<string, number>();
    for (const face of faces) {
      const who = fixture.identityOf.get(face.photo);
      if (who) votes.set(who, (votes.get(who) ?? 0) + 1);
    }
    const best = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
    const taken = new Set((await api<Person[]>('people.list')).map((p) => p.name));
    return best && !taken.has(best) ? best : `Guest ${index + 1}`;
  }

  it('offers "Merge with …?" for a name that already exists, and merges with Enter', async () => {
    const list = await api<Person[]>('people.list');
    const named = list.find((p) => p.name && !p.hidden)!;
    const focusedId = Number(await page.evaluate(() => document.activeElement?.getAttribute('data-name-for')));
    expect(focusedId).toBeGreaterThan(0);
    await page.keyboard.type(named.name!);
    await page.keyboard.press('Enter');
    const offer = page.getByRole('alert').filter({ hasText: `Merge with ${named.name}?` });
    await offer.waitFor();
    await page.keyboard.press('Enter'); // the Merge button has the focus
    await expect.poll(async () => (await api<Person[]>('people.list')).some((p) => p.id === focusedId), { timeout: 30_000 }).toBe(false);
    await closeToast();
  });

  it('reviews suggestions in one queue with Y, N, S and ←, the count falling as it goes', async () => {
    // More faces to ask about: the group photos, added the way a user adds a folder.
    picks.push(groups);
    const before = await indexed();
    await nav('Settings');
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByText('~/Pictures/Group photos', { exact: true }).waitFor();
    await waitForIndexing(before + 24);
    const waiting = await api<{ settles: number }[]>('people.suggestions', { limit: 2000 });
    expect(waiting.length, 'the engine has suggestions once people are named').toBeGreaterThan(2);
    await nav('People');
    const start = page.getByTestId('review-button');
    await expect
      .poll(() => start.textContent(), { timeout: 20_000 })
      .toBe(`Review ${waiting.reduce((sum, q) => sum + q.settles, 0)} faces`);
    await start.click();
    const sheet = page.getByTestId('review');
    const left = sheet.getByTestId('review-left');
    await left.waitFor();
    const count = async () => Number((await left.textContent())!.match(/\d+/)![0]);
    expect(await count()).toBe(waiting.length);
    // The queue may open with an unnamed cluster ("Who is this?": answered with a name, see
    // people-review.test.ts); Y and N need a guess, so skip to the first one.
    while ((await sheet.getByTestId('review-ask').textContent())?.includes('Who is this?')) await page.keyboard.press('s');
    const first = await count();
    const firstFace = Number(await sheet.locator('[data-face-id]').getAttribute('data-face-id'));
    await page.keyboard.press('y');
    await expect.poll(count).toBeLessThan(first);
    await screenshot(page, 'people-review');
    const secondFace = Number(await sheet.locator('[data-face-id]').getAttribute('data-face-id'));
    expect(secondFace).not.toBe(firstFace);
    await page.keyboard.press('s');
    await page.keyboard.press('ArrowLeft'); // back to the skipped face
    expect(Number(await sheet.locator('[data-face-id]').getAttribute('data-face-id'))).toBe(secondFace);
    await page.keyboard.press('n');
    // Both answers reached the engine: the first face is now its person's, the second declined.
    await expect
      .poll(
        async () =>
          (
            await api<{ person: number | null }[]>('library.faces', { unassigned: false, limit: 10_000 }).then((faces) =>
              faces.find((f) => (f as unknown as { id: number }).id === firstFace),
            )
          )?.person ?? null,
        { timeout: 20_000 },
      )
      .not.toBeNull();
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
  });

  it('selects photos with click, Shift, Ctrl and drag; F makes favourites, A an album; zoom and "?"', async () => {
    await nav('Library');
    const grid = page.getByTestId('photo-grid');
    // The photos without a date (the LFW copies) come last: jump there with the date scrubber.
    const months = await api<{ month: string; count: number }[]>('library.months');
    const undated = months.find((m) => m.month === 'unknown')!;
    const first = months.reduce((n, m) => n + m.count, 0) - undated.count;
    const scrubber = page.getByTestId('date-scrubber');
    const strip = (await scrubber.boundingBox())!;
    await scrubber.click({ position: { x: strip.width / 2, y: strip.height * 0.97 } });
    await grid.getByRole('heading', { name: /No date · ordered by file date/ }).waitFor();
    const cell = (i: number) => grid.locator(`[data-index="${first + i}"]`);
    await cell(12).waitFor();
    const bar = page.getByTestId('selection-bar');
    await cell(0).click({ modifiers: ['Control'] });
    await bar.getByText('1 selected').waitFor();
    await cell(4).click({ modifiers: ['Shift'] });
    await bar.getByText('5 selected').waitFor();
    await cell(2).click({ modifiers: ['Control'] });
    await bar.getByText('4 selected').waitFor();
    // Drag from one photo across two more: the three join the selection.
    const from = (await cell(7).boundingBox())!;
    const to = (await cell(9).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 6 });
    await page.mouse.up();
    await bar.getByText('7 selected').waitFor();
    const selected = await grid
      .locator('[aria-pressed="true"]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-photo-id'))));
    expect(selected).toHaveLength(7);
    await screenshot(page, 'library-selection');
    await page.keyboard.press('f');
    await expect.poll(async () => (await api<{ total: number }>('albums.photos', { favourites: true })).total).toBe(7);
    await page.keyboard.press('a');
    const albumName = page.getByLabel('New album name');
    await albumName.fill('Summer trip');
    await albumName.press('Enter');
    await expect
      .poll(async () => (await api<{ name: string; photos: number }[]>('albums.list')).map((a) => [a.name, a.photos]))
      .toEqual([['Summer trip', 7]]);
    await expect.poll(() => bar.count()).toBe(0); // the selection is done with
    await closeToast();
    // A whole month, from its header.
    const header = grid.locator('.month').filter({ hasText: 'No date' });
    await header.hover();
    await header.getByRole('button', { name: 'Select' }).click();
    const monthCount = Number((await header.locator('.count').textContent())!.match(/\d+/)![0]);
    await bar.getByText(`${monthCount} selected`).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => bar.count()).toBe(0);
    // Zoom out with the keyboard: smaller cells, more of them in a row.
    const before = (await cell(0).boundingBox())!.width;
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Minus');
    await expect.poll(async () => (await cell(0).boundingBox())!.width).toBeLessThan(before * 0.5);
    await screenshot(page, 'library-zoomed-out');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Equal');
    await expect.poll(async () => (await cell(0).boundingBox())!.width).toBeCloseTo(before, 0);
    // A trackpad pinch: Chromium delivers it as wheel events with ctrlKey set, many small deltas
    // (positive: fingers together, zoom out). Each one must be cancelled, or the whole page would zoom.
    const center = (await grid.boundingBox())!;
    const pinch = (deltaY: number, events: number) =>
      grid.evaluate(
        (el, { deltaY, events, x, y }) => {
          let cancelled = 0;
          for (let i = 0; i < events; i++) {
            const wheel = new WheelEvent('wheel', { deltaY, ctrlKey: true, clientX: x, clientY: y, bubbles: true, cancelable: true });
            el.querySelector('[data-photo-id]')!.dispatchEvent(wheel);
            if (wheel.defaultPrevented) cancelled++;
          }
          return cancelled;
        },
        { deltaY, events, x: center.x + center.width / 2, y: center.y + center.height / 2 },
      );
    expect(await pinch(4, 30)).toBe(30); // 120 px of pinch: three levels
    await expect.poll(async () => (await cell(0).boundingBox())!.width).toBeLessThan(before * 0.5);
    // A mouse's Ctrl + wheel, through Chromium's real input path: one level per notch.
    await page.mouse.move(center.x + center.width / 2, center.y + center.height / 2);
    await page.keyboard.down('Control');
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    await expect.poll(async () => (await cell(0).boundingBox())!.width).toBeCloseTo(before, 0);
    // Two fingers on a touch screen (pointer events, as Chromium sends them with touch-action pan-y):
    // bringing them together zooms out a level, spreading them zooms back in.
    const touchPinch = (from: number, to: number) =>
      grid.evaluate(
        (el, { from, to, x, y }) => {
          const target = el.querySelector('[data-photo-id]')!;
          const fire = (type: string, pointerId: number, clientX: number) =>
            target.dispatchEvent(
              new PointerEvent(type, {
                pointerId,
                pointerType: 'touch',
                isPrimary: pointerId === 1,
                clientX,
                clientY: y,
                bubbles: true,
                cancelable: true,
              }),
            );
          fire('pointerdown', 1, x - from / 2);
          fire('pointerdown', 2, x + from / 2);
          for (let i = 1; i <= 10; i++) {
            const spread = from + ((to - from) * i) / 10;
            fire('pointermove', 1, x - spread / 2);
            fire('pointermove', 2, x + spread / 2);
          }
          fire('pointerup', 1, x - to / 2);
          fire('pointerup', 2, x + to / 2);
        },
        { from, to, x: center.x + center.width / 2, y: center.y + center.height / 2 },
      );
    await touchPinch(140, 100);
    await expect.poll(async () => (await cell(0).boundingBox())!.width).toBeLessThan(before * 0.87);
    await touchPinch(100, 140);
    await expect.poll(async () => (await cell(0).boundingBox())!.width).toBeCloseTo(before, 0);
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts').waitFor({ state: 'detached' });
    await closeToast();
  });

  it('albums: rename, open, and delete an album without losing its photos', async () => {
    await page.getByRole('radio', { name: 'Albums' }).click();
    const card = page.locator('[data-album-id]').first();
    await card.waitFor();
    await card.getByRole('button', { name: 'Rename' }).click();
    const field = card.getByLabel('Rename');
    await field.fill('Summer 2007');
    await field.press('Enter');
    await expect.poll(async () => (await api<{ name: string }[]>('albums.list')).map((a) => a.name)).toEqual(['Summer 2007']);
    await page.locator('[data-album-id]').getByText('Summer 2007').waitFor();
    await page.getByRole('button', { name: 'New album' }).click();
    await page.getByLabel('New album name').fill('Birthdays');
    await page.getByLabel('New album name').press('Enter');
    await page.locator('[data-album-id]').getByText('Birthdays').waitFor();
    await closeToast();
    await screenshot(page, 'albums');
    await page.getByRole('button', { name: /^Summer 2007, 7 photos$/ }).click();
    await page.getByRole('heading', { name: 'Summer 2007' }).waitFor();
    await expect.poll(() => page.getByTestId('photo-grid').locator('[data-photo-id]').count()).toBe(7);
    await page.getByRole('button', { name: 'Back to Albums' }).click();
    const birthdays = page.locator('[data-album-id]').filter({ hasText: 'Birthdays' });
    await birthdays.getByRole('button', { name: 'Delete album' }).click();
    await page.getByTestId('confirm').getByRole('button', { name: 'Delete album' }).click();
    await expect.poll(async () => (await api<{ name: string }[]>('albums.list')).map((a) => a.name)).toEqual(['Summer 2007']);
    await page.getByRole('radio', { name: 'All photos' }).click();
    await closeToast();
  });

  it('reviews duplicates: reasons shown, only exact copies ticked, trash only after a look and with a count', async () => {
    await nav('Duplicates');
    const exact = page.locator('figure').filter({ hasText: path.basename(fixture.exactCopy) });
    await exact.waitFor();
    const group = page.locator('section.group').filter({ has: exact });
    await expect.poll(() => group.getAttribute('data-looked'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => exact.getByTestId('match-reason').textContent()).toBe('Same file (identical bytes)');
    expect(await exact.getByRole('checkbox').isChecked()).toBe(true);
    const resized = page.locator('figure').filter({ hasText: path.basename(fixture.resizedCopy) });
    // A near copy is never ticked for the trash by itself (whichever photo the finder keeps).
    for (const figure of await page.locator('figure').filter({ hasNotText: 'Same file' }).all()) {
      if (await figure.getByRole('checkbox').count()) expect(await figure.getByRole('checkbox').isChecked()).toBe(false);
    }
    void resized;
    await screenshot(page, 'duplicates-review');
    await group.getByRole('button', { name: 'Move 1 to Trash' }).click();
    const confirm = page.getByTestId('confirm');
    await confirm.getByText('Move 1 photo to the Trash?').waitFor();
    await confirm.getByRole('button', { name: 'Move 1 photo to Trash' }).click();
    await expect.poll(() => trashed).toEqual([fixture.exactCopy]);
    await closeToast();
    // "Not duplicates" is remembered: the other group does not come back.
    const lookAlike = page.locator('section.group').filter({ hasText: 'Look alike' }).first();
    if (await lookAlike.count()) {
      const ids = await lookAlike.locator('figure').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-photo-id'))));
      await lookAlike.getByRole('button', { name: 'Not duplicates' }).click();
      const together = async () =>
        (await api<{ photos: { photoId: number }[] }[]>('search.duplicates', { useEmbeddings: true })).some((g) =>
          ids.every((id) => g.photos.some((p) => p.photoId === id)),
        );
      await expect.poll(together).toBe(false);
    }
    await closeToast();
  });

  it('shows an error in Korean, with the action that fixes it', async () => {
    await nav('Settings');
    await page.getByRole('radio', { name: '한국어' }).click();
    await page.getByRole('navigation').getByRole('button', { name: '보관함', exact: true }).waitFor();
    // The picker hands back a folder that is gone by the time it is added (an unplugged drive).
    const gone = path.join(os.tmpdir(), 'facet-unplugged-drive', 'Photos');
    picks.push(gone);
    await page.getByRole('button', { name: '폴더 추가' }).click();
    const banner = page.getByRole('alert').filter({ hasText: '그 폴더는 사용할 수 없습니다' });
    await banner.waitFor();
    const action = banner.getByRole('button', { name: '다른 폴더 선택' });
    await action.waitFor();
    expect(await banner.textContent()).not.toContain(gone); // no engine English, no paths in the sentence
    await screenshot(page, 'error-ko');
    // The action is real: it opens the picker again, and the folder chosen there is added.
    picks.push(sharedPhotos('faces-album'));
    const before = await indexed();
    await action.click();
    await page.getByText(sharedPhotos('faces-album'), { exact: true }).waitFor();
    await expect.poll(() => banner.count()).toBe(0);
    await waitForIndexing(before + 23);
  });
});

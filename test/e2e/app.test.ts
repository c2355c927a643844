/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiEvents, EventName } from '../../src/common/api/events';
import { unwrap } from '../../src/common/result';
import { Engine, type EngineOptions } from '../../src/engine/engine';
import { bundledManifest } from '../../src/engine/models/manifest';
import { TINY_CLIP_ID, generateTinyClip } from '../fixtures/tiny-clip/generate';
import { SHARED_MODELS, describeWithShared, sharedModel, sharedPhotos } from '../support/shared';
import { HAS_CHROMIUM, launchChromium } from './support/browser';
import { bindEngine } from './support/engine-binding';
import { RENDERER_DIR, assertRendererBuilt } from './support/renderer-build';
import { SCREENS_DIR, screenshot } from './support/screens';
import { serveStatic } from './support/static-server';

// Portraits of 13 people, a family album, and group photos (whose many faces give the engine faces
// to suggest once people have names).
const FOLDERS = [sharedPhotos('faces-celebs'), sharedPhotos('faces-album'), sharedPhotos('groups')];
const PHOTOS = 64 + 23 + 24;
const describeApp = HAS_CHROMIUM ? describeWithShared : describeWithShared.skip;

/**
 * The built renderer in Debian's Chromium, driven like a user, over the REAL engine: a fresh library
 * indexed from ../shared/photos through the app's own "Add folder" flow, real face models, real
 * clustering and naming. Screens are saved to test-results/screens/.
 */
/**
 * No real CLIP weights can be fetched here, so search runs on the tiny colour CLIP the search tests
 * generate: its files go where a download would put them (the library's models/<id>/), and the engine
 * opens with the bundled manifest plus its entry, as if the manifest listed it. (Swapping the model
 * manager after open is not enough: the engine's CLIP, face and OCR services hold the one they were
 * built with, so the index job failed with "No model tiny-clip-colours".)
 */
function openEngineWithTinyClip(dir: string, onEvent: EngineOptions['onEvent']): Engine {
  const tiny = generateTinyClip(path.join(dir, 'tiny-clip'), sharedModel('clip_bpe_simple_vocab_16e6.txt.gz'));
  const bundled = bundledManifest();
  const manifest = { ...bundled, models: [...bundled.models, { ...tiny.entry, default: false }] };
  const engine = Engine.open({ libraryDir: path.join(dir, 'library'), modelsDir: SHARED_MODELS, manifest, device: 'cpu', onEvent });
  fs.cpSync(tiny.modelDir, path.join(engine.library.paths.models, TINY_CLIP_ID), { recursive: true });
  return engine;
}

describeApp('Facet app, end to end on the real engine', () => {
  let engine: Engine;
  let context: BrowserContext;
  let page: Page;
  let forward: <E extends EventName>(event: E, payload: ApiEvents[E]) => void = () => {};
  const cleanups: (() => Promise<void> | void)[] = [];
  const api = async <T>(channel: Parameters<Engine['call']>[0], input: object = {}) =>
    unwrap(await engine.call(channel as never, input as never)) as T;

  beforeAll(async () => {
    assertRendererBuilt();
    // Screens of failures from an earlier run would mislead whoever reads this one.
    if (fs.existsSync(SCREENS_DIR))
      for (const f of fs.readdirSync(SCREENS_DIR)) if (f.startsWith('failed-')) fs.rmSync(path.join(SCREENS_DIR, f));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-e2e-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    engine = openEngineWithTinyClip(dir, (event, payload) => forward(event, payload));
    cleanups.push(() => engine.close());
    const server = await serveStatic(RENDERER_DIR);
    cleanups.push(server.close);
    const browser = await launchChromium();
    cleanups.push(browser.close);
    context = browser.context;
    const picks = [...FOLDERS];
    const bound = await bindEngine(context, {
      engine,
      settingsFile: path.join(dir, 'settings.json'),
      pickFolder: () => picks.shift() ?? null,
    });
    forward = bound.emit;
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    page.on('console', (message) => message.type() === 'error' && console.error('console:', message.text()));
    await page.goto(server.url);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const nav = async (name: string) => {
    try {
      await page.getByRole('navigation').getByRole('button', { name, exact: true }).click({ timeout: 15_000 });
    } catch (error) {
      await screenshot(page, `failed-nav-${name}`); // what was in the way, for whoever reads the CI log
      throw error;
    }
  };

  it('shows a friendly empty library, then indexes the folders added in Settings', async () => {
    // A new library opens on the welcome sheet (test/e2e/organizer.test.ts drives it); this run uses Settings.
    await page.getByRole('button', { name: 'Not now' }).click();
    await page.getByText('No photos yet').waitFor();
    await screenshot(page, 'library-empty');
    await nav('Settings');
    for (const folder of FOLDERS) {
      await page.getByRole('button', { name: 'Add folder' }).click();
      await page.getByText(folder, { exact: true }).waitFor();
    }
    // Progress events reach the sidebar while the engine indexes; folders added meanwhile wait their turn.
    await page.getByRole('navigation').getByText('Indexing photos…').waitFor();
    await screenshot(page, 'settings-indexing');
    await expect
      .poll(
        async () => [
          (await api<{ phase: string }>('index.progress')).phase,
          (await api<{ counts: { indexed: number } }>('library.status')).counts.indexed,
        ],
        { timeout: 500_000, interval: 1000 },
      )
      .toEqual(['done', PHOTOS]);
    await nav('Library');
    await page.locator('[data-photo-id]').first().waitFor();
    await expect.poll(() => page.locator('.page-header .sub').textContent()).toBe(`${PHOTOS} photos`);
    await screenshot(page, 'library');
    await nav('Indexing');
    await page.getByText('Up to date').or(page.getByText('Done')).first().waitFor();
    await screenshot(page, 'indexing');
  });

  it('opens People: named first, then unnamed clusters, then unassigned faces', async () => {
    await nav('People');
    await page.locator('[data-person-id]').first().waitFor();
    await expect.poll(() => page.locator('[data-person-id] img').count(), { timeout: 20_000 }).toBeGreaterThan(3);
    await screenshot(page, 'people');
  });

  it('names a person from their page', async () => {
    const people = await api<{ id: number; name: string | null; faceCount: number }[]>('people.list');
    const biggest = people.filter((p) => !p.name).sort((a, b) => b.faceCount - a.faceCount)[0]!;
    await page.locator(`[data-person-id="${biggest.id}"] button.open`).click();
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('Alice');
    await name.press('Enter');
    await page.getByTestId('toast').getByText('Named Alice').waitFor();
    expect((await api<{ name: string | null }>('people.get', { id: biggest.id })).name).toBe('Alice');
    await screenshot(page, 'person');
  });

  it('merges two people selected on the People page, with Undo offered', async () => {
    await nav('People');
    const before = await api<{ id: number; name: string | null; faceCount: number }[]>('people.list');
    const [a, b] = before.filter((p) => !p.name);
    expect(a && b, 'two unnamed people to merge').toBeTruthy();
    for (const person of [a!, b!]) await page.locator(`[data-person-id="${person.id}"] input[type="checkbox"]`).check();
    await page.getByRole('button', { name: 'Merge selected' }).click();
    await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).waitFor();
    const after = await api<{ id: number }[]>('people.list');
    expect(after.length).toBe(before.length - 1);
    expect(after.map((p) => p.id).filter((id) => id === a!.id || id === b!.id)).toHaveLength(1);
  });

  it('hides a person, then shows them again from the Hidden section of People', async () => {
    const unnamed = (await api<{ id: number; name: string | null; hidden: boolean }[]>('people.list')).filter((p) => !p.name && !p.hidden);
    const stranger = unnamed.at(-1)!;
    await nav('People');
    await page.locator(`[data-person-id="${stranger.id}"] button.open`).click();
    await page.getByRole('button', { name: 'Hide', exact: true }).click();
    await page.getByRole('heading', { name: 'People', exact: true }).waitFor();
    expect((await api<{ hidden: boolean }>('people.get', { id: stranger.id })).hidden).toBe(true);
    const hiddenSection = page.locator('details.hidden-people');
    await expect.poll(() => hiddenSection.isVisible()).toBe(true);
    expect(await hiddenSection.locator(`[data-person-id="${stranger.id}"]`).isVisible()).toBe(false); // folded away until asked
    await hiddenSection.locator('summary').click();
    await screenshot(page, 'people-hidden');
    await hiddenSection.locator(`[data-person-id="${stranger.id}"] button.open`).click();
    await page.getByRole('button', { name: 'Show in People' }).click();
    await page.getByTestId('toast').getByText('Showing this person in People again').waitFor();
    expect((await api<{ hidden: boolean }>('people.get', { id: stranger.id })).hidden).toBe(false);
    await page.getByRole('button', { name: 'Hide', exact: true }).waitFor();
    await page.getByTestId('toast').getByRole('button', { name: 'Close (Esc)' }).click(); // the next screenshots start clean
  });

  it('accepts a suggestion with one key', async () => {
    // Arrange: the user has named everyone who appears twice or more (through the same engine calls
    // the person page makes), so faces in the group photos have named people to resemble.
    let n = 0;
    for (const person of await api<{ id: number; name: string | null; faceCount: number }[]>('people.list')) {
      if (!person.name && person.faceCount >= 2) await api('people.name', { id: person.id, name: `Person ${++n}` });
    }
    await api('people.recluster', { full: false });
    const suggestions = await api<{ faceId: number; personId: number }[]>('people.suggestions', { limit: 100 });
    expect(suggestions.length, 'the engine offers at least one suggestion once people are named').toBeGreaterThan(0);
    const { personId, faceId } = suggestions[0]!;
    await nav('People');
    await page.locator(`[data-person-id="${personId}"] button.open`).click();
    const item = page.locator(`[data-suggestion="${faceId}"]`);
    await item.waitFor();
    await screenshot(page, 'person-suggestions');
    await item.focus();
    await page.keyboard.press('y');
    await page.getByTestId('toast').waitFor();
    const faces = await api<{ id: number }[]>('people.faces', { id: personId, limit: 1000 });
    expect(faces.map((f) => f.id)).toContain(faceId);
  });

  it('searches with a person filter', async () => {
    await nav('Search');
    await page.getByTestId('search-model').waitFor();
    await page.getByLabel('Person').selectOption('Alice');
    await page.getByRole('button', { name: 'Remove the filter Alice' }).waitFor();
    await expect.poll(() => page.getByTestId('search-model').textContent()).toContain('Tiny colour CLIP');
    await page.getByRole('searchbox').fill('red');
    await page.getByRole('searchbox').press('Enter');
    await page.locator('[data-photo-id]').first().waitFor();
    await screenshot(page, 'search');
    // Every hit shows Alice: the person chip reached the engine as a filter.
    const hits = await page.locator('[data-photo-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-photo-id'))));
    const alice = (await api<{ id: number; name: string | null }[]>('people.list')).find((p) => p.name === 'Alice')!;
    const alicePhotos = new Set((await api<{ photoId: number }[]>('people.faces', { id: alice.id, limit: 1000 })).map((f) => f.photoId));
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((id) => alicePhotos.has(id))).toBe(true);
  });

  it('saves a search as a tag, which then filters like any other', async () => {
    await page.getByRole('button', { name: 'Remove the filter Alice' }).click();
    await page.getByRole('searchbox').fill('dark');
    await page.getByRole('searchbox').press('Enter');
    await page.locator('[data-photo-id]').first().waitFor();
    await page.getByRole('button', { name: 'Save as tag' }).click();
    await page.getByTestId('toast').getByText('Saved the tag #dark').waitFor();
    await screenshot(page, 'search-saved-tag');
    const tags = await api<{ tag: string; photos: number; source: string }[]>('search.tags');
    const saved = tags.find((tag) => tag.tag === 'dark')!;
    expect(saved).toMatchObject({ source: 'user' });
    expect(saved.photos).toBeGreaterThan(0);
    await page.getByRole('searchbox').fill('');
    await page.getByRole('button', { name: '#dark', exact: true }).click();
    await expect.poll(() => page.locator('[data-photo-id]').count()).toBe(saved.photos);
    await page.getByRole('button', { name: '#dark', exact: true }).click(); // leave the search page as it was
  });

  it('opens the viewer with face boxes and names, and walks with the arrow keys', async () => {
    await nav('Library');
    await page.locator('[data-photo-id]').first().click();
    const viewer = page.getByTestId('viewer');
    await viewer.waitFor();
    await expect
      .poll(() =>
        viewer
          .locator('img')
          .first()
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
    await expect.poll(() => viewer.locator('.face').count()).toBeGreaterThan(0);
    await screenshot(page, 'viewer');
    // Click a face to name it.
    await viewer.locator('.face').first().click();
    const who = viewer.getByRole('combobox');
    await who.fill('Bob');
    await who.press('Enter');
    await page.getByTestId('toast').getByText('Named this face Bob').waitFor();
    await expect.poll(() => viewer.locator('.face .tag').allTextContents()).toContain('Bob');
    await screenshot(page, 'viewer-named');
    await viewer.focus();
    await page.keyboard.press('ArrowRight');
    await viewer.getByText(`2 of ${PHOTOS}`).waitFor();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  it('shows duplicates side by side with the suggested keeper, deleting nothing by itself', async () => {
    const before = (await api<{ counts: { photos: number } }>('library.status')).counts.photos;
    await nav('Duplicates');
    await page.locator('figure').first().or(page.getByText('No duplicates')).first().waitFor();
    await screenshot(page, 'duplicates');
    const groups = await api<{ keeper: number }[]>('search.duplicates', { useEmbeddings: true });
    if (groups.length > 0) await expect.poll(() => page.getByText('Keep', { exact: true }).count()).toBe(groups.length);
    expect((await api<{ counts: { photos: number } }>('library.status')).counts.photos).toBe(before);
  });

  it('switches the whole app to Korean', async () => {
    await nav('Settings');
    await screenshot(page, 'settings');
    await page.getByRole('radio', { name: '한국어' }).click();
    await page.getByRole('navigation').getByRole('button', { name: '보관함', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
    await screenshot(page, 'settings-ko');
    await page.getByRole('navigation').getByRole('button', { name: '인물', exact: true }).click();
    await page.locator('[data-person-id]').first().waitFor();
    await screenshot(page, 'people-ko');
    await page.getByRole('navigation').getByRole('button', { name: '보관함', exact: true }).click();
    await page.locator('[data-photo-id]').first().waitFor();
    await screenshot(page, 'library-ko');
    // The choice is saved: a reload comes back in Korean.
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: '설정', exact: true }).waitFor();
  });

  it('switches to the dark theme', async () => {
    await nav('설정');
    await page.getByRole('radio', { name: '다크' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await nav('인물');
    await page.locator('[data-person-id] img').first().waitFor();
    await screenshot(page, 'people-ko-dark');
  });
});

/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { indexFolders } from '../../src/engine/indexing/index-folders';
import { geocodePendingPhotos } from '../../src/engine/places/geocode-photos';
import { namePeople, writeGeoPhotos } from '../engine/search/query/geo-album';
import { describeWithShared } from '../support/shared';
import { type AppOnLibrary, appOnLibrary } from './support/app-on-library';
import { HAS_CHROMIUM } from './support/browser';
import { screenshot } from './support/screens';

const describeApp = HAS_CHROMIUM ? describeWithShared : describeWithShared.skip;

/**
 * The search page's chips and the Places view in Debian's Chromium over the real engine: a library of
 * real photos with EXIF dates and GPS, no CLIP model installed (the queries here are filters only).
 */
describeApp('Search chips and Places, end to end in the app', () => {
  let page: Page;
  let app: AppOnLibrary;

  beforeAll(async () => {
    app = appOnLibrary('facet-e2e-places-');
    const folder = path.join(app.dir, 'photos');
    await writeGeoPhotos(folder);
    const emptyModels = path.join(app.dir, 'models');
    fs.mkdirSync(emptyModels);
    const engine = Engine.open({ libraryDir: path.join(app.dir, 'library'), modelsDir: emptyModels, device: 'cpu' });
    app.onClose(() => engine.close());
    const indexed = await indexFolders({ library: engine.library, folders: [folder], analyzers: [], faceModelId: null });
    expect(indexed.failed).toBe(0);
    geocodePendingPhotos(engine.library);
    namePeople(engine.library, folder);
    page = await app.open(engine);
  }, 120_000);

  afterAll(() => app?.close());

  const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
  const chips = () => page.getByTestId('query-chips').locator('button.chip').allTextContents();
  const results = () => page.locator('.results [data-photo-id]').count();

  it('reads a query into removable chips and searches without any CLIP model', async () => {
    await nav('Search');
    await page.locator('#search-box').fill('Mina in Busan summer 2026');
    await page.locator('#search-box').press('Enter');
    await expect.poll(chips).toEqual(['Mina Kim', 'Busan', 'summer 2026']);
    await expect.poll(results).toBe(1);
    await expect
      .poll(() => page.getByRole('note').allTextContents())
      .toEqual([expect.stringContaining('“Mina” is Mina Kim; it also matches:')]);
    await screenshot(page, 'search-chips');
    await page.getByRole('button', { name: 'Remove “summer 2026” from the search' }).click();
    await expect.poll(() => page.locator('#search-box').inputValue()).toBe('Mina in Busan');
    await expect.poll(chips).toEqual(['Mina Kim', 'Busan']);
    await expect.poll(results).toBe(2);
    // "Mina" also matches Mina Park: one click searches her instead (she has no photos in Busan)
    await page.getByRole('note').getByRole('button', { name: 'Mina Park' }).click();
    await expect.poll(() => page.locator('#search-box').inputValue()).toBe('Mina Park in Busan');
    await expect.poll(chips).toEqual(['Mina Park', 'Busan']);
    await expect.poll(() => page.getByText('Nothing matched').isVisible()).toBe(true);
  });

  it('reads Korean queries the same way', async () => {
    await page.locator('#search-box').fill('2025년 여름 부산에서 민지');
    await page.locator('#search-box').press('Enter');
    await expect.poll(chips).toEqual(['2025년 여름', '부산', '김민지']);
    await expect.poll(results).toBe(1);
  });

  it('lists places with counts and cover photos, and opens one as a search', async () => {
    await nav('Places');
    await page.getByRole('heading', { name: 'Places', exact: true }).waitFor();
    const cities = page.getByRole('list', { name: 'Cities' });
    await expect.poll(() => cities.locator('button .name').allTextContents()).toEqual(['Busan', 'Sydney', 'Paris', 'Seoul', 'Tokyo']);
    await expect
      .poll(() => page.getByRole('list', { name: 'Countries' }).locator('button .name').allTextContents())
      .toEqual(['South Korea', 'Australia', 'France', 'Japan']);
    await expect.poll(() => cities.locator('[data-place="Busan"] .count').textContent()).toBe('2 photos');
    // Every cover is a real thumbnail that loaded.
    await expect
      .poll(() => page.locator('.place img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0)))
      .toBe(true);
    await screenshot(page, 'places');
    await cities.locator('[data-place="Busan"]').click();
    await page.getByRole('heading', { name: 'Search', exact: true }).waitFor();
    await expect.poll(() => page.locator('#search-box').inputValue()).toBe('Busan');
    await expect.poll(results).toBe(2);
  });
});

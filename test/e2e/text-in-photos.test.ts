/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { describeWithShared, SHARED_MODELS, sharedPhotos } from '../support/shared';
import { type AppOnLibrary, appOnLibrary } from './support/app-on-library';
import { HAS_CHROMIUM } from './support/browser';
import { screenshot } from './support/screens';

const describeApp = HAS_CHROMIUM ? describeWithShared : describeWithShared.skip;

/**
 * Text in photos in Debian's Chromium over the real engine: a sign photographed at an angle is found by
 * a quoted search, and in the viewer its words lie over the photo as text the user can select.
 */
describeApp('Text in photos, end to end in the app', () => {
  let page: Page;
  let app: AppOnLibrary;

  beforeAll(async () => {
    app = appOnLibrary('facet-e2e-text-');
    const folder = path.join(app.dir, 'photos');
    fs.mkdirSync(folder);
    const sign =
      '<svg width="1600" height="1200" xmlns="http://www.w3.org/2000/svg"><g transform="rotate(-8 800 500)"><rect x="430" y="400" width="740" height="210" rx="20" fill="#1a5d3a"/><text x="800" y="545" font-family="DejaVu Sans" font-weight="bold" font-size="110" fill="#fff" text-anchor="middle">HARBOUR</text></g></svg>';
    await sharp(sharedPhotos('objects', 'ocean_cyan.jpg'))
      .resize(1600, 1200, { fit: 'cover' })
      .composite([{ input: Buffer.from(sign) }])
      .jpeg()
      .toFile(path.join(folder, 'sign.jpg'));
    fs.copyFileSync(sharedPhotos('objects', 'limes.jpg'), path.join(folder, 'limes.jpg'));
    const engine = Engine.open({ libraryDir: path.join(app.dir, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    app.onClose(() => engine.close());
    await engine.index([folder]);
    // Text is its own job after the index run (the app's worker runs it in the background).
    await engine.runJobs();
    expect(engine.ctx.jobs.list().find((j) => j.kind === 'backfill-text')).toMatchObject({ state: 'done', done: 2, failed: 0 });
    page = await app.open(engine);
  }, 180_000);

  afterAll(() => app?.close());

  it('finds the sign by its quoted word and shows its text as selectable lines in the viewer', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('#search-box').fill('"harbour"');
    await page.locator('#search-box').press('Enter');
    await expect.poll(() => page.locator('.results [data-photo-id]').count()).toBe(1);
    await page.locator('.results [data-photo-id]').first().click();
    const overlay = page.getByTestId('text-overlay');
    await expect.poll(() => overlay.locator('text').allTextContents()).toEqual(['HARBOUR']);
    // The line lies over the sign, tilted as the sign is.
    expect(await overlay.locator('g').first().getAttribute('transform')).toMatch(/rotate\(-[789]\.\d+\)/);
    // Selectable like any text: select the line, the selection is its words.
    const selected = await overlay
      .locator('text')
      .first()
      .evaluate((node) => {
        const range = document.createRange();
        range.selectNodeContents(node);
        const selection = window.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return selection.toString();
      });
    expect(selected).toBe('HARBOUR');
    await screenshot(page, 'viewer-text');
  });
});

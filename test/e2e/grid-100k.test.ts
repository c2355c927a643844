/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { PhotoStore, registerIndexedPhoto } from '../../src/engine/library/photo-store';
import { HAS_CHROMIUM, launchChromium } from './support/browser';
import { bindEngine } from './support/engine-binding';
import { RENDERER_DIR, assertRendererBuilt } from './support/renderer-build';
import { serveStatic } from './support/static-server';

const PHOTOS = 100_000;

/** 100k photo rows over ten years, written straight into a temporary library (no files needed). */
function generateLibrary(dir: string): Engine {
  const engine = Engine.open({ libraryDir: dir });
  const db = engine.library.db;
  const folderId = new PhotoStore(db).ensureFolder('/photos/generated');
  const start = Date.UTC(2016, 0, 1);
  const span = Date.UTC(2026, 0, 1) - start;
  db.transaction(() => {
    for (let i = 0; i < PHOTOS; i++) {
      const taken = new Date(start + Math.floor((span * i) / PHOTOS)).toISOString();
      registerIndexedPhoto(db, {
        folderId,
        path: `/photos/generated/IMG_${String(i).padStart(6, '0')}.jpg`,
        size: 1000,
        width: 4000,
        height: 3000,
        takenAt: taken,
        indexedAt: taken,
      });
    }
  })();
  return engine;
}

describe.skipIf(!HAS_CHROMIUM)('library grid at 100,000 photos', () => {
  let engine: Engine;
  let page: Page;
  let calls: { channel: string; ms: number }[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    assertRendererBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-100k-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    engine = generateLibrary(dir);
    cleanups.push(() => engine.close());
    const server = await serveStatic(RENDERER_DIR);
    cleanups.push(server.close);
    const browser = await launchChromium();
    cleanups.push(browser.close);
    ({ calls } = await bindEngine(browser.context, { engine, settingsFile: path.join(dir, 'settings.json'), pickFolder: () => null }));
    page = await browser.context.newPage();
    // Warm the browser's own caches (compile of the bundle) so the timing measures Facet, not Chromium's first start.
    await page.goto(server.url);
    await page.waitForSelector('[data-photo-id]');
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('renders the first screen in at most one second', async () => {
    // Timed inside the page, from navigation start to the first photo cell in the DOM, so the number is
    // the renderer's and the engine's, not Playwright's polling.
    await page.context().addInitScript(() => {
      const w = window as unknown as { __firstPhotoAt?: number };
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-photo-id]')) {
          w.__firstPhotoAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    calls.length = 0;
    await page.reload();
    await page.waitForSelector('[data-photo-id]');
    const firstPhotoAt = await page.evaluate(() => (window as unknown as { __firstPhotoAt: number }).__firstPhotoAt);
    console.log(
      `first screen at ${PHOTOS.toLocaleString('en')} photos: ${firstPhotoAt.toFixed(0)} ms; engine: ${calls.map((c) => `${c.channel} ${c.ms.toFixed(0)} ms`).join(', ')}`,
    );
    expect(firstPhotoAt).toBeLessThanOrEqual(1000);
    await expect(page.locator('.page-header .sub').textContent()).resolves.toContain('100,000');
  });

  it('keeps fewer than 500 grid nodes in the DOM while scrolling through the whole library', async () => {
    const samples: number[] = await page.evaluate(async () => {
      const grid = document.querySelector<HTMLElement>('[data-testid="photo-grid"]')!;
      const counts: number[] = [];
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
      for (let step = 0; step < 60; step++) {
        grid.scrollTop = (grid.scrollHeight * step) / 60;
        await frame();
        await frame();
        counts.push(grid.querySelectorAll('*').length);
      }
      return counts;
    });
    console.log(`grid nodes while scrolling: max ${Math.max(...samples)}, min ${Math.min(...samples)}`);
    expect(Math.max(...samples)).toBeLessThan(500);
    expect(Math.min(...samples)).toBeGreaterThan(10);
  });

  it('loads photos far down the library and labels them by month', async () => {
    await page.evaluate(() => {
      const grid = document.querySelector<HTMLElement>('[data-testid="photo-grid"]')!;
      grid.scrollTop = grid.scrollHeight;
    });
    // Newest first: the very end of the library is January 2016, and its last photo has the last index.
    await page.waitForFunction(() => document.querySelector('[data-testid="current-month"]')?.textContent?.includes('January 2016'), null, {
      timeout: 60_000,
    });
    // Month headers of freshly loaded pages grow the grid a little: keep pinning the scroll to the end.
    await page.waitForFunction(
      (last) => {
        const grid = document.querySelector<HTMLElement>('[data-testid="photo-grid"]')!;
        grid.scrollTop = grid.scrollHeight;
        return document.querySelector(`[data-index="${last}"]`) !== null;
      },
      PHOTOS - 1,
      { timeout: 20_000, polling: 250 },
    );
  });
});

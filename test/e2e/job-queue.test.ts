/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiEvents, EventName } from '../../src/common/api/events';
import { unwrap } from '../../src/common/result';
import { Engine } from '../../src/engine/engine';
import { tinyClipImmichExport } from '../fixtures/tiny-clip/immich-layout';
import { describeWithShared, SHARED_MODELS, sharedPhotos } from '../support/shared';
import { HAS_CHROMIUM, launchChromium } from './support/browser';
import { bindEngine } from './support/engine-binding';
import { RENDERER_DIR, assertRendererBuilt } from './support/renderer-build';
import { screenshot } from './support/screens';
import { serveStatic } from './support/static-server';

const describeApp = HAS_CHROMIUM ? describeWithShared : describeWithShared.skip;

/**
 * The job queue on the Indexing page, in Debian's Chromium over the real engine: a CLIP model added
 * after indexing queues a backfill (waiting), a job that could not run says why (failed), and the user
 * pauses, resumes and then watches the backfill finish.
 */
describeApp('The job queue on the Indexing page', () => {
  let page: Page;
  let engine: Engine;
  let forward: <E extends EventName>(event: E, payload: ApiEvents[E]) => void = () => {};
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    assertRendererBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-e2e-jobs-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    engine = Engine.open({
      libraryDir: path.join(dir, 'library'),
      modelsDir: SHARED_MODELS,
      device: 'cpu',
      onEvent: (event, payload) => forward(event, payload),
    });
    cleanups.push(() => engine.shutdown());
    await engine.index([sharedPhotos('faces-album')]);
    // A backfill for a model that is gone: it fails, with the reason kept in the queue.
    engine.ctx.jobs.enqueue('backfill-clip', { modelId: 'gone-model' });
    await engine.runJobs();
    unwrap(await engine.call('models.add', { folder: tinyClipImmichExport(path.join(dir, 'exports')), id: 'tiny-clip' }));
    const server = await serveStatic(RENDERER_DIR);
    cleanups.push(server.close);
    const browser = await launchChromium();
    cleanups.push(browser.close);
    const bound = await bindEngine(browser.context, { engine, settingsFile: path.join(dir, 'settings.json'), pickFolder: () => null });
    forward = bound.emit; // jobs.changed reaches the page as it would over IPC
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(server.url);
  }, 180_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('shows what waits and what failed and why; pause, resume, then the backfill runs to the end', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Indexing', exact: true }).click();
    const waiting = page.locator('[data-job-state="queued"]');
    await expect.poll(() => waiting.textContent()).toContain('Making earlier photos searchable (tiny-clip)');
    const failed = page.locator('[data-job-state="failed"]');
    expect(await failed.textContent()).toMatch(/Failed: No model "gone-model"/);
    expect(await page.locator('[data-job-state="done"]').first().textContent()).toContain('23 of 23 photos');
    await screenshot(page, 'indexing-jobs');

    await waiting.getByRole('button', { name: 'Pause' }).click();
    const paused = page.locator('[data-job-state="paused"]');
    await expect.poll(() => paused.count()).toBe(1);
    expect(engine.ctx.jobs.list().find((j) => j.kind === 'backfill-clip' && j.subject === 'tiny-clip')?.state).toBe('paused');
    await paused.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.locator('[data-job-state="queued"]').count()).toBe(1);

    engine.ctx.jobs.start(); // the worker's background runner, as in the app
    await expect
      .poll(async () => (await page.locator('[data-job-state="done"]').allTextContents()).join(' | '), { timeout: 120_000, interval: 250 })
      .toMatch(/Making earlier photos searchable \(tiny-clip\).*23 of 23 photos/);
    expect(await page.locator('[data-job-state="queued"]').count()).toBe(0);
  });
});

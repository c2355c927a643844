import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Engine } from '../../../src/engine/engine';
import { launchChromium } from './browser';
import { bindEngine } from './engine-binding';
import { RENDERER_DIR, assertRendererBuilt } from './renderer-build';
import { serveStatic } from './static-server';

/**
 * One e2e file's app: a temporary folder for its photos and library, then the built renderer served
 * and opened in Chromium over the file's own engine. `close` undoes everything, newest first.
 */
export interface AppOnLibrary {
  /** A fresh temporary folder, removed by close(). */
  dir: string;
  /** Also undone by close() (before the folder is removed). */
  onClose(cleanup: () => Promise<void> | void): void;
  /** Serves the renderer, launches Chromium bound to `engine`, and opens the app's first page. */
  open(engine: Engine): Promise<Page>;
  close(): Promise<void>;
}

export function appOnLibrary(prefix: string): AppOnLibrary {
  assertRendererBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const cleanups: (() => Promise<void> | void)[] = [() => fs.rmSync(dir, { recursive: true, force: true })];
  return {
    dir,
    onClose: (cleanup) => void cleanups.push(cleanup),
    async open(engine) {
      const server = await serveStatic(RENDERER_DIR);
      cleanups.push(server.close);
      const browser = await launchChromium();
      cleanups.push(browser.close);
      await bindEngine(browser.context, { engine, settingsFile: path.join(dir, 'settings.json'), pickFolder: () => null });
      const page = await browser.context.newPage();
      page.on('pageerror', (error) => console.error('page error:', error.message));
      await page.goto(server.url);
      return page;
    },
    async close() {
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

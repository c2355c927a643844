/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENS_DIR = path.resolve(__dirname, '../../../test-results/screens');

/** Saves a screenshot of the whole window once images have loaded and animations settled. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  await page.waitForLoadState('networkidle').catch(() => {});
  // Lazy images outside the viewport never load, so wait only for the visible ones, and never long.
  await page.evaluate(() => {
    const visible = [...document.images].filter((i) => {
      const r = i.getBoundingClientRect();
      return !i.complete && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
    });
    const loaded = Promise.all(visible.map((i) => new Promise((r) => ((i.onload = r), (i.onerror = r)))));
    return Promise.race([loaded, new Promise((r) => setTimeout(r, 5000))]);
  });
  await page.waitForTimeout(250);
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

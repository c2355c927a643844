import path from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/**
 * The renderer alone (a plain web build). electron-vite reuses it for the app; the e2e test builds it
 * with `vite build -c renderer/vite.config.ts` because no Electron binary exists on CI machines.
 * `base: './'` keeps asset URLs relative so the page loads from file:// in the packaged app.
 */
export default defineConfig({
  root: __dirname,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: path.resolve(__dirname, '../out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
  },
});

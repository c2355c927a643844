import path from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import rendererConfig from './renderer/vite.config';

/**
 * Main (two entries: the app and the worker utility process), a single CommonJS preload (sandboxed
 * preloads cannot load modules, so zod is bundled into it), and the renderer's own vite config.
 * Native packages (better-sqlite3, onnxruntime-node, sqlite-vec, sharp) stay external: bundling them
 * breaks their binary lookup. flatqueue is bundled: it ships only as an ES module, which a CommonJS
 * main can require only on newer Node releases.
 */
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin({ exclude: ['flatqueue'] })],
    build: {
      rollupOptions: {
        input: {
          index: path.resolve(__dirname, 'electron/main/index.ts'),
          worker: path.resolve(__dirname, 'electron/main/worker-process.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: {
      rollupOptions: {
        input: { index: path.resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: { ...rendererConfig.build, rollupOptions: { input: path.resolve(__dirname, 'renderer/index.html') } },
  },
});

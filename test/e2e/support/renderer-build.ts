import fs from 'node:fs';
import path from 'node:path';

export const RENDERER_DIR = path.resolve(__dirname, '../../../out/renderer');

/** `npm run test:e2e` builds the renderer first; a bare `vitest --project e2e` gets a clear message. */
export function assertRendererBuilt(): void {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html')))
    throw new Error(
      `No built renderer in ${RENDERER_DIR}: run \`npm run test:e2e\` (it builds it) or \`npx vite build -c renderer/vite.config.ts\`.`,
    );
}

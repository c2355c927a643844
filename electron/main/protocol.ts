import fs from 'node:fs';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import log from 'electron-log/main';
import { isFacetError } from '../../src/common/errors';
import { resolveMediaUrl } from '../../src/engine/media/media-file';
import type { Library } from '../../src/engine/library/library';

export const MEDIA_SCHEME = 'facet';

/** Must run before `app.whenReady`: privileges are fixed at startup. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: false, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/**
 * `facet://thumb/<photoId>`, `facet://photo/<photoId>` and `facet://face/<faceId>`: the renderer names ids, never paths, and
 * `resolveMediaUrl` (shared with the e2e test) refuses traversal and unknown ids. The file is streamed,
 * not read whole, so a 50 MB original never sits in memory.
 */
export function handleMediaProtocol(library: () => Library): void {
  protocol.handle(MEDIA_SCHEME, (request) => {
    try {
      const file = resolveMediaUrl(library(), request.url);
      const body = Readable.toWeb(fs.createReadStream(file.path)) as ReadableStream;
      return new Response(body, {
        headers: { 'content-type': file.mimeType, 'content-length': String(file.size), 'cache-control': 'private, max-age=3600' },
      });
    } catch (error) {
      const status = isFacetError(error) && error.code === 'invalid_argument' ? 400 : 404;
      if (status === 400) log.warn(`Refused media request ${request.url.slice(0, 200)}`);
      return new Response(null, { status });
    }
  });
}

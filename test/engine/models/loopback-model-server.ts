import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A real HTTP server on 127.0.0.1 that serves model files the way the real hosts do, with switches
 * for the failures a download must survive. Routes (NAME is a file of `dir`):
 *   /files/NAME          200 or 206 (Range), ETag = git blob sha1 for *.txt, none otherwise
 *   /resolve/NAME        Hugging Face style: 302 to /lfs/NAME with X-Linked-Etag = sha256
 *   /lfs/NAME            the LFS body, with an opaque ETag (as a CDN would)
 *   /corrupt/NAME        the file with one byte flipped; X-Linked-Etag of the genuine file
 *   /away/NAME           302 to a host outside the manifest
 *   /mirror/ID/PATH      a FACET_MODEL_MIRROR: the file named like PATH's last part (the model id is ignored)
 */
export interface ModelServer {
  url: string;
  requests: { url: string; range: string | undefined }[];
  /** Paths whose first full (non-Range) GET is cut after half the body. */
  interruptOnce: Set<string>;
  /** Paths whose first full GET sends half the body, then nothing, holding the connection open. */
  stallOnce: Set<string>;
  close(): Promise<void>;
}

function digests(bytes: Buffer) {
  return {
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    gitBlobSha1: crypto.createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex'),
  };
}

export async function startModelServer(dir: string): Promise<ModelServer> {
  const requests: ModelServer['requests'] = [];
  const interruptOnce = new Set<string>();
  const stallOnce = new Set<string>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push({ url, range: req.headers.range });
    const [, route, name] = /^\/(mirror)\/[^/]+\/(?:[^?]*\/)?([^/?]+)$/.exec(url) ?? /^\/([a-z]+)\/([^/]+)$/.exec(url) ?? [];
    const file = name ? path.join(dir, decodeURIComponent(name)) : '';
    if (!route || !fs.existsSync(file)) return void res.writeHead(404).end();
    const genuine = fs.readFileSync(file);
    if (route === 'resolve') {
      return void res.writeHead(302, { location: `/lfs/${name}`, 'x-linked-etag': `"${digests(genuine).sha256}"` }).end();
    }
    if (route === 'away') return void res.writeHead(302, { location: `https://example.invalid/${name}` }).end();
    const body = route === 'corrupt' ? Buffer.from(genuine) : genuine;
    if (route === 'corrupt') body.writeUInt8(body.readUInt8(body.length >> 1) ^ 0xff, body.length >> 1);
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' };
    if (route === 'files' && name?.endsWith('.txt')) headers.etag = `"${digests(body).gitBlobSha1}"`;
    if (route === 'lfs') headers.etag = '"opaque-cdn-id-1"';
    if (route === 'corrupt') headers['x-linked-etag'] = `"${digests(genuine).sha256}"`;

    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    if (start >= body.length && start > 0) return void res.writeHead(416).end();
    const slice = body.subarray(start);
    res.writeHead(start > 0 ? 206 : 200, {
      ...headers,
      'content-length': String(slice.length),
      ...(start > 0 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (start === 0 && interruptOnce.delete(url)) {
      // Send half, then cut the connection the way a dropped Wi-Fi does.
      res.write(slice.subarray(0, slice.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (start === 0 && stallOnce.delete(url)) {
      // Send half, then go quiet without closing: a link that drops every packet from now on.
      res.write(slice.subarray(0, slice.length >> 1));
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    interruptOnce,
    stallOnce,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections(); // a stalled response would otherwise keep close() waiting
        server.close(() => resolve());
      }),
  };
}

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadFile, type DownloadFileOptions } from '../../../src/engine/models/download-file';
import type { DownloadPolicy } from '../../../src/engine/models/download-policy';
import { tempDir } from '../../support/temp';

/**
 * A network that drops packets: real loopback servers that accept and then say nothing, or start a
 * body and go quiet. Without its own clocks a download would wait for the OS's TCP timeout.
 */
const BODY = crypto.randomBytes(256 * 1024);
const SHA256 = crypto.createHash('sha256').update(BODY).digest('hex');

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    if (server instanceof http.Server) server.closeAllConnections();
    server.close();
  });
  return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** Serves BODY (with Range); `stallFirst` sends half of the first full answer, then nothing, holding the socket. */
function bodyServer(opts: { stallFirst?: boolean; chunkGapMs?: number } = {}) {
  const ranges: (string | undefined)[] = [];
  let stall = opts.stallFirst ?? false;
  const server = http.createServer((req, res) => {
    ranges.push(req.headers.range);
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const slice = BODY.subarray(start);
    res.writeHead(start > 0 ? 206 : 200, {
      'content-length': String(slice.length),
      ...(start > 0 ? { 'content-range': `bytes ${start}-${BODY.length - 1}/${BODY.length}` } : {}),
    });
    if (stall) {
      stall = false;
      res.write(slice.subarray(0, slice.length >> 1));
      return;
    }
    if (!opts.chunkGapMs) return void res.end(slice);
    // A slow but live link: 16 small chunks, each well inside the stall limit, the whole well beyond it.
    const step = Math.ceil(slice.length / 16);
    let at = 0;
    const next = () => {
      res.write(slice.subarray(at, at + step));
      at += step;
      if (at >= slice.length) res.end();
      else setTimeout(next, opts.chunkGapMs);
    };
    next();
  });
  return { server, ranges };
}

function options(host: string, extra: Partial<DownloadFileOptions> = {}): DownloadFileOptions {
  const policy: DownloadPolicy = { originHosts: new Set([host]), redirectHosts: [], allowHttpLoopback: true };
  return {
    url: `http://${host}/model.onnx`,
    dest: path.join(tempDir('facet-dl-timeout-'), 'model.onnx'),
    sha256: SHA256,
    bytes: BODY.length,
    policy,
    fetchImpl: fetch,
    retryDelayMs: 10,
    connectTimeoutMs: 400,
    stallTimeoutMs: 400,
    ...extra,
  };
}

describe('model downloads on a network that drops packets', () => {
  it('gives up on a host that accepts the connection but never reads or answers, with a clear offline error, each attempt', async () => {
    const connections: net.Socket[] = [];
    const silent = net.createServer({ pauseOnConnect: true }, (socket) => connections.push(socket));
    closers.push(() => connections.forEach((s) => s.destroy()));
    const host = await listen(silent);
    const opts = options(host, { maxAttempts: 2 });
    const error = await downloadFile(opts).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'offline', message: expect.stringMatching(`^No answer from ${host} within 0.4 s`) });
    expect(connections).toHaveLength(2); // both attempts connected, and both were given up
    expect(fs.existsSync(opts.dest)).toBe(false);
  });

  it('gives up on a host whose process listens but never accepts (its loop is stuck): no answer, however the kernel queues the connection', async () => {
    // A separate process, because a Node server in this one accepts every connection: it listens, says
    // its port, then blocks its own event loop for ever, so nothing is accepted, read or answered.
    const stuck = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('node:net').createServer();
         s.listen({ port: 0, host: '127.0.0.1', backlog: 0 }, () => {
           process.stdout.write(String(s.address().port) + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
         });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    closers.push(() => stuck.kill('SIGKILL'));
    const port = await new Promise<string>((resolve) => stuck.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
    const host = `127.0.0.1:${port}`;
    const opts = options(host, { maxAttempts: 2 });
    const error = await downloadFile(opts).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'offline', message: expect.stringMatching(`^No answer from ${host} within 0.4 s`) });
    expect(fs.existsSync(opts.dest)).toBe(false);
  });

  it('gives up a body that stops arriving, keeps the bytes it got, and the next run resumes from them', async () => {
    const { server, ranges } = bodyServer({ stallFirst: true });
    const host = await listen(server);
    const opts = options(host, { maxAttempts: 1 });
    const error = await downloadFile(opts).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'offline', message: expect.stringContaining(`The download from ${host} stalled: nothing arrived for 0.4 s`) });
    const kept = fs.statSync(`${opts.dest}.partial`).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(BODY.length);

    await downloadFile(opts);
    expect(ranges).toEqual([undefined, `bytes=${kept}-`]);
    expect(fs.readFileSync(opts.dest).equals(BODY)).toBe(true);
    expect(fs.existsSync(`${opts.dest}.partial`)).toBe(false);
  });

  it('within one run, a stalled attempt is retried from where it stopped', async () => {
    const { server, ranges } = bodyServer({ stallFirst: true });
    const opts = options(await listen(server));
    await downloadFile(opts);
    expect(ranges).toEqual([undefined, expect.stringMatching(/^bytes=[1-9]\d*-$/)]);
    expect(fs.readFileSync(opts.dest).equals(BODY)).toBe(true);
  });

  it('lets a slow but live link finish: the stall clock restarts with every chunk', async () => {
    const { server, ranges } = bodyServer({ chunkGapMs: 60 }); // ~1 s in all, against a 0.4 s stall limit
    const opts = options(await listen(server), { maxAttempts: 1 });
    await downloadFile(opts);
    expect(ranges).toEqual([undefined]);
    expect(fs.readFileSync(opts.dest).equals(BODY)).toBe(true);
  });

  it('a refused connection names the reason, not only "fetch failed"', async () => {
    const closed = net.createServer();
    const host = await listen(closed);
    closed.close(); // the port is free again: connecting to it is refused
    const error = await downloadFile(options(host, { maxAttempts: 1 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'offline', message: expect.stringMatching(/^Could not download .*: fetch failed \(.*ECONNREFUSED.*\)\. Running it again resumes it\.$/) });
  });

  it('a cancel during the pause before a retry ends the download at once, as cancelled', async () => {
    const controller = new AbortController();
    // Every attempt fails fast (HTTP 503); the pause before the next one is far longer than this test may take.
    const busy = http.createServer((_req, res) => {
      res.writeHead(503).end();
      setTimeout(() => controller.abort(), 300); // the user presses Cancel while the download waits to retry
    });
    const opts = options(await listen(busy), { retryDelayMs: 600_000, signal: controller.signal });
    expect(await downloadFile(opts).catch((e: unknown) => e)).toMatchObject({ code: 'cancelled' });
  }, 10_000);

  it('a cancel still reads as cancelled, not as a timeout', async () => {
    const connections: net.Socket[] = [];
    const silent = net.createServer({ pauseOnConnect: true }, (socket) => connections.push(socket));
    closers.push(() => connections.forEach((s) => s.destroy()));
    const controller = new AbortController();
    const opts = options(await listen(silent), { connectTimeoutMs: 30_000, signal: controller.signal });
    const pending = downloadFile(opts).catch((e: unknown) => e);
    while (connections.length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await pending).toMatchObject({ code: 'cancelled' });
  });
});

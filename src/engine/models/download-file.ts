import fs from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { FacetError, isFacetError } from '../../common/errors';
import { checkOrigin, checkRedirect, type DownloadPolicy } from './download-policy';
import { digestFromEtag, digestMatches, type ExpectedDigest } from './etag-digest';
import { digestFile, type FileDigest } from './file-digest';

export interface DownloadFileOptions {
  url: string;
  /** Final path; the transfer goes to `<dest>.partial` and is renamed only once verified. */
  dest: string;
  /** From the manifest; where absent the host's content ETag is the reference. */
  sha256?: string;
  bytes?: number;
  policy: DownloadPolicy;
  fetchImpl: typeof fetch;
  signal?: AbortSignal;
  /** Bytes of this file on disk so far (including a resumed part) and its size once known. */
  onProgress?(received: number, total: number | null): void;
  /** Attempts within one call; each resumes where the previous one stopped. */
  maxAttempts?: number;
  /** Pause before attempt n is n × this (ms). */
  retryDelayMs?: number;
  /** How long a host may take to answer a request (connect, TLS and headers), per redirect hop. */
  connectTimeoutMs?: number;
  /** How long the body may send nothing before the attempt is given up (and the next one resumes). */
  stallTimeoutMs?: number;
}

/**
 * Without these, a network that drops packets leaves a download waiting for the OS's TCP timeout
 * (minutes for a connect, for ever for a stalled body without keep-alives). A slow but live link
 * still finishes: the stall clock restarts with every chunk.
 */
export const CONNECT_TIMEOUT_MS = 20_000;
export const STALL_TIMEOUT_MS = 30_000;

const MAX_REDIRECTS = 5;

/**
 * One attempt's clock: armed for the answer, re-armed for each chunk of the body. When it runs out it
 * aborts the attempt's fetch (and with it the body stream) with a FacetError saying which wait failed.
 */
class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  expired: FacetError | null = null;
  readonly signal: AbortSignal;

  constructor(outer: AbortSignal | undefined) {
    this.signal = outer ? AbortSignal.any([outer, this.controller.signal]) : this.controller.signal;
  }

  arm(ms: number, error: () => FacetError): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.expired = error();
      this.controller.abort(this.expired);
    }, ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

interface Fetched {
  response: Response;
  etag: ExpectedDigest | null;
}

/** fetch, following redirects by hand so each hop is checked against the policy and HF's X-Linked-Etag is seen. */
async function fetchChecked(url: string, headers: Record<string, string>, opts: DownloadFileOptions, clock: Watchdog): Promise<Fetched> {
  let current = new URL(url);
  checkOrigin(current, opts.policy);
  let linkedEtag: ExpectedDigest | null = null;
  const connectMs = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const host = current.host;
    clock.arm(
      connectMs,
      () =>
        new FacetError(
          'offline',
          `No answer from ${host} within ${seconds(connectMs)}: the network may be down or dropping packets. Running the download again resumes it.`,
        ),
    );
    const response = await opts.fetchImpl(current, { headers, redirect: 'manual', signal: clock.signal });
    linkedEtag ??= digestFromEtag(response.headers.get('x-linked-etag'));
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current);
      checkRedirect(current, opts.policy);
      continue;
    }
    return { response, etag: linkedEtag ?? digestFromEtag(response.headers.get('etag')) };
  }
  throw new FacetError('offline', `Too many redirects while downloading ${url}.`);
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The start offset a 206 answer claims (`Content-Range: bytes 100-199/200`), or null. */
function rangeStart(response: Response): number | null {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : null;
}

function httpError(url: string, status: number): FacetError {
  if (status === 404 || status === 410) return new FacetError('not_found', `The model file is not at ${url} (HTTP ${status}).`);
  return new FacetError('offline', `Downloading ${url} failed with HTTP ${status}.`);
}

/**
 * Streams the body into the partial file. On a dropped connection the bytes already received are
 * still flushed to disk (no destroy), so the next attempt resumes from all of them.
 */
async function appendBody(body: Readable, partial: string, start: number, onReceived: (bytes: number) => void): Promise<number> {
  const out = fs.createWriteStream(partial, { flags: start > 0 ? 'a' : 'w' });
  let received = start;
  onReceived(received);
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      received += chunk.length;
      onReceived(received);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  return received;
}

/** One attempt under its own clock; a timeout surfaces as the clock's error, not as an AbortError. */
async function transfer(opts: DownloadFileOptions, partial: string): Promise<ExpectedDigest | null> {
  const clock = new Watchdog(opts.signal);
  try {
    return await transferTimed(opts, partial, clock);
  } catch (error) {
    throw clock.expired ?? error;
  } finally {
    clock.stop();
  }
}

/** One attempt: returns the host's content digest (if any) once the body is fully on disk. */
async function transferTimed(opts: DownloadFileOptions, partial: string, clock: Watchdog): Promise<ExpectedDigest | null> {
  const offset = sizeOf(partial);
  const { response, etag } = await fetchChecked(opts.url, offset > 0 ? { range: `bytes=${offset}-` } : {}, opts, clock);
  if (response.status === 416 || (response.status === 206 && rangeStart(response) !== offset)) {
    // The partial does not fit what the server has now: start over on the next attempt.
    await response.body?.cancel();
    fs.rmSync(partial, { force: true });
    throw new FacetError('offline', 'The server refused to resume the download.');
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw httpError(opts.url, response.status);
  }
  const start = response.status === 206 ? offset : 0;
  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? start + length : (opts.bytes ?? null);
  if (!response.body) throw new FacetError('offline', `Empty answer from ${opts.url}.`);
  // Through a Node stream: fetch's body type differs between the DOM and Node typings of ReadableStream.
  const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  const stallMs = opts.stallTimeoutMs ?? STALL_TIMEOUT_MS;
  const host = new URL(response.url || opts.url).host;
  // Called before the first chunk and after each one: the stall clock restarts with every byte that arrives.
  const received = await appendBody(body, partial, start, (n) => {
    clock.arm(
      stallMs,
      () =>
        new FacetError(
          'offline',
          `The download from ${host} stalled: nothing arrived for ${seconds(stallMs)} (${n} bytes of ${opts.url} are kept). Running it again resumes it.`,
        ),
    );
    opts.onProgress?.(n, total);
  });
  if (total !== null && received !== total) throw new FacetError('offline', `The transfer of ${opts.url} stopped early.`);
  return etag;
}

/** fetch says only "fetch failed"; the reason (refused, no such host, reset) is in its cause. */
function networkReason(error: unknown): string {
  const { message, cause } = error as Error & { cause?: { message?: string } };
  return cause?.message ? `${message} (${cause.message})` : message;
}

function isRetryable(error: unknown): boolean {
  return !isFacetError(error) || error.code === 'offline';
}

async function verifyOrDiscard(opts: DownloadFileOptions, partial: string, etag: ExpectedDigest | null): Promise<FileDigest> {
  const actual = await digestFile(partial);
  const expected: ExpectedDigest | null = opts.sha256 ? { kind: 'sha256', hex: opts.sha256 } : etag;
  const problem = !expected
    ? 'the manifest has no sha256 and the host sent no content ETag, so it cannot be verified'
    : opts.bytes !== undefined && actual.size !== opts.bytes
      ? `it has ${actual.size} bytes, expected ${opts.bytes}`
      : !digestMatches(expected, actual)
        ? `its ${expected.kind} does not match (expected ${expected.hex})`
        : null;
  if (problem) {
    fs.rmSync(partial, { force: true });
    throw new FacetError('model_corrupt', `The download of ${opts.url} was rejected: ${problem}. Nothing was kept; try again later.`);
  }
  return actual;
}

/**
 * Downloads one file with resume (Range into `<dest>.partial`), retries, checksum verification and an
 * atomic rename. A cancelled or failed transfer keeps its partial so the next call resumes it; a
 * checksum mismatch deletes it.
 */
export async function downloadFile(opts: DownloadFileOptions): Promise<FileDigest> {
  const partial = `${opts.dest}.partial`;
  const maxAttempts = opts.maxAttempts ?? 4;
  let etag: ExpectedDigest | null = null;
  for (let attempt = 1; ; attempt++) {
    try {
      etag = await transfer(opts, partial);
      break;
    } catch (error) {
      if (opts.signal?.aborted) throw new FacetError('cancelled', 'The download was cancelled; running it again resumes it.');
      if (!isRetryable(error) || attempt >= maxAttempts) {
        if (isFacetError(error)) throw error;
        throw new FacetError('offline', `Could not download ${opts.url}: ${networkReason(error)}. Running it again resumes it.`);
      }
      // A cancel during the pause ends it at once; the next attempt then reads as cancelled above.
      await sleep((opts.retryDelayMs ?? 500) * attempt, undefined, opts.signal ? { signal: opts.signal } : {}).catch(() => undefined);
    }
  }
  const digest = await verifyOrDiscard(opts, partial, etag);
  fs.renameSync(partial, opts.dest);
  return digest;
}

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import libheif from 'libheif-js/wasm-bundle';
import { unpackedPath } from '../util/unpacked-path';

export interface RgbaPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Most phone photos are HEIC with HEVC compression. sharp's prebuilt libvips carries libheif without an
 * HEVC decoder (patent licensing), so it reads their header but not their pixels. libheif compiled to
 * WebAssembly (libheif-js) decodes them in-process where the platform has no native decoder
 * (heic-decoder.ts): about 0.3 s for 3.6 MP on one core, the file's transforms (irot, imir, clap)
 * applied as HEIF requires.
 *
 * WebAssembly runs on one thread, so decodes go to a pool of worker threads, one per core (at most
 * four: each WebAssembly heap grows to hold a full-size decode and never shrinks, ~150 MB at 12 MP). A
 * worker idle for IDLE_MS ends, returning its heap. If workers cannot start (a host without
 * worker_threads, a package without the unpacked libheif-js), decodes run here, one at a time, and
 * status says why (heicWorkersFailure).
 *
 * libheif's embind functions are called directly rather than through its HeifDecoder/display helpers
 * (or heic-decode, which wraps them) because those print every failure to the console: a damaged file
 * must become one clear reason in the run's report, not noise in the user's terminal.
 */
export function decodeHevcHeic(bytes: Uint8Array): Promise<RgbaPixels> {
  const run = previous.then(() => decodePrimaryImage(libheif, bytes));
  previous = run.catch(() => undefined);
  return run;
}

let previous: Promise<unknown> = Promise.resolve();

/**
 * Self-contained (its source is what each worker evaluates): libheif is passed in, and no helper
 * outside this function is used.
 */
export async function decodePrimaryImage(heif: typeof libheif, bytes: Uint8Array): Promise<RgbaPixels> {
  // A copy of the plane without row padding (the WebAssembly memory behind `data` is reused).
  const packRows = (plane: { data: Uint8Array; stride: number; width: number; height: number }): Uint8Array => {
    const rowBytes = plane.width * 4;
    if (plane.stride === rowBytes) return plane.data.slice(0, rowBytes * plane.height);
    const packed = new Uint8Array(rowBytes * plane.height);
    for (let y = 0; y < plane.height; y++) packed.set(plane.data.subarray(y * plane.stride, y * plane.stride + rowBytes), y * rowBytes);
    return packed;
  };
  const context = heif.heif_context_alloc();
  if (!context) throw new Error('the decoder could not start');
  const handles: libheif.ImageHandle[] = [];
  try {
    const read = heif.heif_context_read_from_memory(context, bytes);
    if (read.code !== heif.heif_error_code.heif_error_Ok) throw new Error(read.message?.trim() || 'not a readable HEIF file');
    const ids = heif.heif_js_context_get_list_of_top_level_image_IDs(context);
    if (!Array.isArray(ids) || ids.length === 0) throw new Error('the file holds no image');
    for (const id of ids) {
      const handle = heif.heif_js_context_get_image_handle(context, id);
      if (!('code' in handle)) handles.push(handle);
    }
    const primary = handles.find((handle) => heif.heif_image_handle_is_primary_image(handle)) ?? handles[0];
    if (!primary) throw new Error('the image could not be read');
    const decoded = await heif.heif_js_decode_image2(
      primary,
      heif.heif_colorspace.heif_colorspace_RGB,
      heif.heif_chroma.heif_chroma_interleaved_RGBA,
    );
    if (!decoded || decoded.code) throw new Error(decoded?.message?.trim() || 'the image data is damaged');
    try {
      const plane = decoded.channels.find((channel) => channel.id === heif.heif_channel.heif_channel_interleaved);
      if (!plane) throw new Error('the decoder returned no pixels');
      return { data: packRows(plane), width: plane.width, height: plane.height };
    } finally {
      heif.heif_image_release(decoded.image);
    }
  } finally {
    for (const handle of handles) heif.heif_image_handle_release(handle);
    heif.heif_context_free(context);
  }
}

const POOL_SIZE = Math.max(1, Math.min(4, os.availableParallelism()));
const IDLE_MS = 20_000;

interface Job {
  bytes: Uint8Array;
  resolve: (pixels: RgbaPixels) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  /** It has loaded libheif: a failure after this concerns a decode, not the pool. */
  ready: boolean;
  job: Job | null;
  idle: NodeJS.Timeout | null;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const heif = require(workerData.libheif);
const decode = (0, eval)('(' + workerData.decode + ')');
parentPort.postMessage({ ready: true });
parentPort.on('message', async (bytes) => {
  try {
    const pixels = await decode(heif, bytes);
    parentPort.postMessage({ pixels }, [pixels.data.buffer]);
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});`;

const workers: PoolWorker[] = [];
const queue: Job[] = [];
/** libheif-js's entry as the workers require it, outside app.asar in a packaged app (util/unpacked-path.ts); found at the first start. */
let libheifEntry: string | null = null;
/** Why no worker could start (then every decode runs here, one at a time), or null. */
let workersFailed: string | null = null;
let anyReady = false;
/** Workers in a row that ended before loading libheif: a few mean they cannot start (do not churn). */
let failedStarts = 0;
const MAX_FAILED_STARTS = 3;

/** Why HEIC decodes run on this thread instead of in worker threads (for status), or null when they do not. */
export function heicWorkersFailure(): string | null {
  return workersFailed;
}

/**
 * Ends the idle workers and forgets a failure, so the next decode starts the pool again from `entry`
 * (tests start it from a missing file to see the fallback; the packaging test from a built package).
 */
export function restartHeicWorkers(entry: string = require.resolve('libheif-js/wasm-bundle')): void {
  for (const slot of workers.filter((w) => !w.job)) {
    workers.splice(workers.indexOf(slot), 1);
    if (slot.idle) clearTimeout(slot.idle);
    void slot.worker.terminate();
  }
  libheifEntry = unpackedPath(entry);
  workersFailed = null;
  anyReady = false;
  failedStarts = 0;
}

/** Decodes in the worker pool (in parallel with other decodes), or here when workers cannot start. */
export function decodeHevcHeicInWorkers(bytes: Uint8Array): Promise<RgbaPixels> {
  if (workersFailed !== null) return decodeHevcHeic(bytes);
  return new Promise((resolve, reject) => {
    queue.push({ bytes, resolve, reject });
    dispatch();
  });
}

function dispatch(): void {
  while (queue.length > 0) {
    if (workersFailed !== null) {
      for (const job of queue.splice(0)) decodeHevcHeic(job.bytes).then(job.resolve, job.reject);
      return;
    }
    let slot = workers.find((w) => !w.job);
    if (!slot && workers.length < POOL_SIZE) slot = startWorker() ?? undefined;
    if (!slot) return;
    const job = queue.shift()!;
    slot.job = job;
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    slot.worker.ref();
    slot.worker.postMessage(job.bytes);
  }
}

/**
 * No worker has ever loaded libheif (a host without worker_threads, or a package missing the unpacked
 * libheif-js): decode here from now on, and say why once. The decodes still work, one at a time.
 */
function giveUpOnWorkers(reason: string): void {
  if (workersFailed !== null) return;
  workersFailed = reason.split('\n')[0]!; // a failed require adds its require stack
  console.warn(
    `[facet] HEIC photos are decoded on the main thread: the WebAssembly decoder's worker threads did not start (${workersFailed}).`,
  );
}

function startWorker(): PoolWorker | null {
  let worker: Worker;
  try {
    libheifEntry ??= unpackedPath(require.resolve('libheif-js/wasm-bundle'));
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { libheif: libheifEntry, decode: decodePrimaryImage.toString() } });
  } catch (error) {
    // With no worker left to take the queue (none ever, or all ended idle), waiting would hang every
    // HEIC behind it: decode here instead, as when workers never started.
    if (workers.length === 0) giveUpOnWorkers(error instanceof Error ? error.message : String(error));
    return null;
  }
  const slot: PoolWorker = { worker, ready: false, job: null, idle: null };
  workers.push(slot);
  worker.on('message', (message: { ready?: boolean; pixels?: RgbaPixels; error?: string }) => {
    if (message.ready) {
      slot.ready = anyReady = true;
      failedStarts = 0;
      return;
    }
    const job = slot.job;
    slot.job = null;
    if (message.pixels)
      job?.resolve({
        ...message.pixels,
        data: new Uint8Array(message.pixels.data.buffer, message.pixels.data.byteOffset, message.pixels.data.byteLength),
      });
    else job?.reject(new Error(message.error ?? 'the decoder failed'));
    slot.worker.unref();
    slot.idle = setTimeout(() => void worker.terminate(), IDLE_MS).unref();
    dispatch();
  });
  const retire = (error: Error) => {
    if (!workers.includes(slot)) return;
    workers.splice(workers.indexOf(slot), 1);
    if (slot.idle) clearTimeout(slot.idle);
    const job = slot.job;
    slot.job = null;
    if (!slot.ready) {
      // It never loaded libheif: its photo is not to blame. Decode it again (here, if no worker ever started).
      if (!anyReady || ++failedStarts >= MAX_FAILED_STARTS) giveUpOnWorkers(error.message);
      if (job) queue.unshift(job);
    } else job?.reject(error);
    dispatch();
  };
  worker.on('error', retire);
  worker.on('exit', () => retire(new Error('the decoder worker stopped')));
  return slot;
}

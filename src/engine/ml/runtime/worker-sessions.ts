import { Worker } from 'node:worker_threads';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { unpackedPath } from '../../util/unpacked-path';

/** What Facet's models need of an onnxruntime session: its names, its inputs' shapes and `run`. */
export interface RunnableSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly InferenceSession.ValueMetadata[];
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
}

/** What a worker reports of each model it opened. */
type ModelSignature = Pick<RunnableSession, 'inputNames' | 'outputNames' | 'inputMetadata'>;

interface WireTensor {
  type: Tensor.Type;
  data: Tensor.DataType;
  dims: readonly number[];
}

interface Run {
  model: number;
  feeds: Record<string, WireTensor>;
  transfer: ArrayBuffer[];
  resolve: (outputs: Record<string, Tensor>) => void;
  reject: (error: Error) => void;
}

/** What each worker is started with: paths it can open outside Electron's archive (util/unpacked-path.ts). */
interface WorkerData {
  ort: string;
  models: string[];
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The thread has ended (closed, or it crashed). */
  exited: boolean;
  run: Run | null;
  idle: NodeJS.Timeout | null;
}

/** A worker idle this long ends, returning its memory (the models load again in about 0.2 s when needed). */
const IDLE_MS = 20_000;

/**
 * onnxruntime-node runs a session synchronously on the JavaScript thread (its `run` only defers the
 * call), so every model in one process takes turns on one core whatever the photos in flight. The text
 * job is almost all inference (the check's detector on every photo, detection and recognition where
 * it saw text): on the main thread it kept one core busy and the other mostly idle. Here each of `size`
 * worker threads opens the same models (CPU, one intra-op thread each, as the face models) and takes
 * one run at a time, so runs of photos in flight go in parallel; decoding stays on libuv's threads and
 * the pre- and post-processing on the main thread. The worker is a small evaluated script (as the HEIC
 * decoder's), so no bundler needs to know about it.
 */
export class WorkerSessions {
  private readonly slots: Slot[] = [];
  private readonly queue: Run[] = [];
  private released = false;

  private constructor(
    private readonly modelPaths: readonly string[],
    private readonly workerData: WorkerData,
    private readonly size: number,
    private readonly names: readonly ModelSignature[],
  ) {}

  /**
   * Starts one worker to check the models load there (it throws if they do not: use main-thread
   * sessions then). `ortEntry` is onnxruntime-node's entry as this process resolves it (a packaging
   * test passes the one inside a built app.asar): the worker requires it, and opens the models, from
   * their unpacked copies when they lie inside an archive.
   */
  static async open(modelPaths: readonly string[], size: number, ortEntry = require.resolve('onnxruntime-node')): Promise<WorkerSessions> {
    const workerData: WorkerData = { ort: unpackedPath(ortEntry), models: modelPaths.map(unpackedPath) };
    const probe = new Worker(WORKER_SOURCE, { eval: true, workerData });
    const state = { worker: probe, exited: false };
    probe.once('exit', () => (state.exited = true));
    const names = await new Promise<ModelSignature[]>((resolve, reject) => {
      probe.once('message', (message: { ready?: ModelSignature[]; failed?: string }) =>
        message.ready ? resolve(message.ready) : reject(new Error(message.failed ?? 'the inference worker did not start')),
      );
      probe.once('error', reject);
    }).catch(async (error: unknown) => {
      await close(state);
      throw error;
    });
    const pool = new WorkerSessions(modelPaths, workerData, Math.max(1, size), names);
    pool.adopt(probe, true);
    return pool;
  }

  /** The session of one of the models this pool was opened with. */
  session(modelPath: string): RunnableSession {
    const model = this.modelPaths.indexOf(modelPath);
    if (model < 0) throw new Error(`${modelPath} is not loaded in these workers`);
    return { ...this.names[model]!, run: (feeds) => this.run(model, feeds) };
  }

  /** Ends the workers; runs still waiting fail. */
  async release(): Promise<void> {
    this.released = true;
    for (const run of this.queue.splice(0)) run.reject(new Error('the inference workers were closed'));
    await Promise.all(this.slots.splice(0).map((slot) => close(slot)));
  }

  private run(model: number, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    if (this.released) return Promise.reject(new Error('the inference workers were closed'));
    const wire: Record<string, WireTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, tensor] of Object.entries(feeds)) {
      const data = tensor.data as Tensor.DataType & ArrayBufferView;
      // Handed over without a copy when the tensor owns its whole buffer (the models build fresh ones).
      const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
      const sent = whole ? data : (data.slice() as typeof data);
      wire[name] = { type: tensor.type, data: sent, dims: tensor.dims };
      transfer.push(sent.buffer as ArrayBuffer);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ model, feeds: wire, transfer, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && !s.run);
      if (!slot) {
        if (this.slots.length < this.size) this.start();
        return;
      }
      const run = this.queue.shift()!;
      slot.run = run;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      slot.worker.ref();
      slot.worker.postMessage({ model: run.model, feeds: run.feeds }, run.transfer);
    }
  }

  private start(): void {
    this.adopt(new Worker(WORKER_SOURCE, { eval: true, workerData: this.workerData }), false);
  }

  private adopt(worker: Worker, ready: boolean): void {
    const slot: Slot = { worker, ready, exited: false, run: null, idle: null };
    this.slots.push(slot);
    const rest = () => {
      slot.worker.unref();
      slot.idle = setTimeout(() => void this.retire(slot, null), IDLE_MS).unref();
      this.dispatch();
    };
    worker.on('message', (message: { ready?: unknown; failed?: string; outputs?: Record<string, WireTensor>; error?: string }) => {
      if (message.ready || message.failed) {
        if (message.failed) return void this.retire(slot, new Error(message.failed));
        slot.ready = true;
        return rest();
      }
      const run = slot.run;
      slot.run = null;
      if (message.outputs)
        run?.resolve(Object.fromEntries(Object.entries(message.outputs).map(([name, t]) => [name, new Tensor(t.type, t.data, t.dims)])));
      else run?.reject(new Error(message.error ?? 'inference failed'));
      rest();
    });
    worker.on('error', (error) => void this.retire(slot, error));
    worker.on('exit', () => {
      slot.exited = true;
      void this.retire(slot, new Error('the inference worker stopped'));
    });
    if (ready) rest();
  }

  /** Drops a worker; its run (if any) fails with `error`, and the queue goes to the others (or a new one). */
  private async retire(slot: Slot, error: Error | null): Promise<void> {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    if (slot.idle) clearTimeout(slot.idle);
    slot.run?.reject(error ?? new Error('the inference worker stopped'));
    slot.run = null;
    // A worker that cannot even load the models would fail every run: fail the queue rather than loop.
    if (!slot.ready && error) for (const run of this.queue.splice(0)) run.reject(error);
    await close(slot);
    if (!this.released) this.dispatch();
  }
}

/** Asks a worker to end between runs and waits for it (terminated only if it does not end within seconds: a hung thread). */
async function close(slot: Pick<Slot, 'worker' | 'exited'>): Promise<void> {
  if (slot.exited) return;
  const exited = new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<void>((resolve) => {
    timer = setTimeout(
      () =>
        void slot.worker.terminate().then(
          () => resolve(),
          () => resolve(),
        ),
      10_000,
    );
  });
  slot.worker.ref();
  slot.worker.postMessage({ close: true });
  await Promise.race([exited, hung]);
  clearTimeout(timer);
}

/**
 * The worker: loads the models, then handles one message at a time: a run (outputs copied out of
 * onnxruntime's memory and sent back), or `close`, which releases the sessions and ends the thread
 * between runs. Never terminated from outside while it loads or runs: tearing down a thread inside
 * onnxruntime can abort the whole process.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ort);
const options = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', logSeverityLevel: 3, intraOpNumThreads: 1 };
let sessions = [];
let chain = Promise.resolve();
const handle = async (message) => {
  if (message.close) {
    for (const session of sessions) await session.release().catch(() => {});
    process.exit(0);
  }
  try {
    const inputs = {};
    for (const [name, t] of Object.entries(message.feeds)) inputs[name] = new ort.Tensor(t.type, t.data, t.dims);
    const results = await sessions[message.model].run(inputs);
    const outputs = {};
    const transfer = [];
    for (const [name, t] of Object.entries(results)) {
      const data = t.data.slice();
      outputs[name] = { type: t.type, data, dims: t.dims };
      transfer.push(data.buffer);
    }
    parentPort.postMessage({ outputs }, transfer);
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
};
const loading = Promise.all(workerData.models.map((m) => ort.InferenceSession.create(m, options)));
parentPort.on('message', (message) => { chain = chain.then(() => loading.catch(() => {})).then(() => handle(message)); });
loading.then(
  (loaded) => {
    sessions = loaded;
    const signature = (s) => ({ inputNames: s.inputNames, outputNames: s.outputNames, inputMetadata: s.inputMetadata.map((m) => ({ ...m })) });
    parentPort.postMessage({ ready: loaded.map(signature) });
  },
  (error) => parentPort.postMessage({ failed: String((error && error.message) || error) }),
);`;

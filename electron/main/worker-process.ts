/**
 * Entry of the worker, the utility process (Electron's `utilityProcess.fork`) that runs every channel
 * declared `runsIn: 'worker'`: indexing and everything else that loads a model or writes derived data.
 * It opens its own engine on the same library (SQLite WAL lets the main process read meanwhile), so
 * decoding and inference never stall the window and a native crash never takes the window down.
 * `app` does not exist here: the main process sends every path in the first message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { fail } from '../../src/common/result';
import { dispatch } from '../../src/engine/api/dispatch';
import { recoverAfterCrashLocked } from '../../src/engine/indexing/crash-recovery';
import { type EngineHandle, openAppEngine } from './engine-handle';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

interface ParentPort {
  on(event: 'message', listener: (message: { data: ToWorker }) => void): void;
  postMessage(message: FromWorker): void;
}
const port = (process as unknown as { parentPort: ParentPort }).parentPort;

// The engine says once, with console.warn, when it runs degraded (a GPU fallback; text models or HEIC
// decodes on the main thread because their worker threads did not start). This process's console
// reaches no log file (electron-log writes from the main process): the main process logs them too.
for (const level of ['warn', 'error'] as const) {
  const print = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    print(...args);
    port.postMessage({ type: 'log', level, message: format(...args) });
  };
}

let engine: EngineHandle | undefined;
let marker: string | undefined;

/** Present while a worker has the library open; found at start, it means the last one crashed. */
const RUNNING_MARKER = '.worker-running';

async function init(options: WorkerInit): Promise<void> {
  try {
    engine = openAppEngine({ ...options, emit: (name, payload) => port.postMessage({ type: 'event', name, payload }) }, 'worker');
    marker = path.join(engine.ctx.library.paths.root, RUNNING_MARKER);
    const crashed = fs.existsSync(marker);
    // Under the writer lock: skipped (null) while a CLI `facet index` is reading its own photos.
    const recovered = crashed ? ((await recoverAfterCrashLocked(engine.ctx.library))?.failed ?? []) : [];
    fs.writeFileSync(marker, String(process.pid));
    engine.startJobs(); // after recovery: the interrupted job resumes with the suspects set aside
    port.postMessage({ type: 'ready', recovered });
  } catch (error) {
    const failure = fail(error);
    if (!failure.ok) port.postMessage({ type: 'init-failed', error: failure.error });
    process.exit(1);
  }
}

function shutdown(): void {
  engine?.close();
  engine = undefined;
  if (marker) fs.rmSync(marker, { force: true });
  process.exit(0);
}

port.on('message', ({ data }) => {
  if (data.type === 'init') return void init(data.options);
  if (data.type === 'shutdown') return shutdown();
  if (data.type === 'model-mirror') return engine?.ctx.models.setMirror(data.modelMirror || process.env.FACET_MODEL_MIRROR || undefined);
  if (!engine) return port.postMessage({ type: 'result', id: data.id, result: fail(new Error('The worker has not opened the library.')) });
  void dispatch(engine.ctx, engine.handlers, data.channel, data.input).then((result) =>
    port.postMessage({ type: 'result', id: data.id, result }),
  );
});

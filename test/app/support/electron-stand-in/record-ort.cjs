/**
 * Records which process creates each onnxruntime InferenceSession (to the stand-in's record file),
 * so the smoke test can prove the main process never creates one. Wraps the real `create`.
 * Worker threads (the text models' inference threads, ml/runtime/worker-sessions.ts) belong to the
 * process that starts them: the recorder is preloaded into them with that process's role.
 */
const fs = require('node:fs');
const Module = require('node:module');
const workerThreads = require('node:worker_threads');

const recordFile = process.env.FACET_STANDIN_RECORD;
const role = () => (process.parentPort ? 'worker' : (globalThis.__facetStandInRole ?? 'main'));
// A thread loads onnxruntime by its resolved path (worker-sessions passes require.resolve's result).
const isOrt = (request) => request === 'onnxruntime-node' || /[\\/]node_modules[\\/]onnxruntime-node[\\/]dist[\\/]index\.js$/.test(request);

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const loaded = originalLoad.call(this, request, parent, isMain);
  if (isOrt(request) && loaded?.InferenceSession && !loaded.InferenceSession.__recorded) {
    const session = loaded.InferenceSession;
    const create = session.create;
    session.create = function recordedCreate(...args) {
      if (recordFile)
        fs.appendFileSync(
          recordFile,
          `${JSON.stringify({ kind: 'ort.InferenceSession.create', pid: process.pid, role: role(), model: typeof args[0] === 'string' ? args[0] : '(buffer)' })}\n`,
        );
      return create.apply(this, args);
    };
    session.__recorded = true;
  }
  return loaded;
};

if (!workerThreads.Worker.__recorded) {
  const OriginalWorker = workerThreads.Worker;
  class RecordedWorker extends OriginalWorker {
    constructor(source, options = {}) {
      const prelude = `globalThis.__facetStandInRole = ${JSON.stringify(role())}; require(${JSON.stringify(__filename)});\n`;
      super(options.eval ? prelude + source : source, options);
    }
  }
  RecordedWorker.__recorded = true;
  workerThreads.Worker = RecordedWorker;
}

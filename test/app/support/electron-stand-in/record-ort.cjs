/**
 * Records which process creates each onnxruntime InferenceSession (to the stand-in's record file),
 * so the smoke test can prove the main process never creates one. Wraps the real `create`.
 */
const fs = require('node:fs');
const Module = require('node:module');

const recordFile = process.env.FACET_STANDIN_RECORD;
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const loaded = originalLoad.call(this, request, parent, isMain);
  if (request === 'onnxruntime-node' && loaded?.InferenceSession && !loaded.InferenceSession.__recorded) {
    const session = loaded.InferenceSession;
    const create = session.create;
    session.create = function recordedCreate(...args) {
      const role = process.parentPort ? 'worker' : 'main';
      if (recordFile)
        fs.appendFileSync(
          recordFile,
          `${JSON.stringify({ kind: 'ort.InferenceSession.create', pid: process.pid, role, model: typeof args[0] === 'string' ? args[0] : '(buffer)' })}\n`,
        );
      return create.apply(this, args);
    };
    session.__recorded = true;
  }
  return loaded;
};

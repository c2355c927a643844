import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import type { CompactVectors } from './compact-vectors';
import { FLOAT, INT64, INT8, UINT8, encodeModel, intAttribute, node, valueInfo } from './onnx-graph';

/**
 * The scan over one index's int8 codes: scores = MatMulInteger(query u8 − 128, codes s8) + mask; TopK(k).
 *
 * The codes are a constant of the graph (an initializer), not an input. Measured at 1M × 512 on this
 * 2-core machine (no AVX2), quiet: as an input, MLAS re-packs the whole matrix on every query (49 ms on
 * one thread, 26 ms on two); as an initializer it packs once when the session is created and a query
 * costs 16 ms on one thread, 12 ms on two (13 ms with the mask and TopK). Since a query takes 12 ms,
 * it uses up to four cores: an interactive search is short, and the indexer yields to it only briefly.
 *
 * When the codes are in the persisted file, the graph points ONNX Runtime at that file (external data)
 * instead of carrying them: the codes never pass through the JS heap, so a cold start reads them once
 * and the process holds one packed copy (~530 MB per million, where a JS copy plus the packed one was
 * over 1 GB). ONNX Runtime resolves external data relative to the model's own path, so the few-hundred
 * byte graph is written beside the file for the moment of loading, then removed.
 */
export async function int8ScanSession(compact: CompactVectors): Promise<ort.InferenceSession> {
  const codes = compact.codes;
  if (codes instanceof Int8Array) return createFromMemory(compact, codes);
  const graphFile = path.join(path.dirname(codes.file), `${path.basename(codes.file)}.${process.pid}-${++loads}.scan.onnx`);
  let session: ort.InferenceSession;
  try {
    fs.writeFileSync(graphFile, scanGraph(compact, externalCodes(compact, path.basename(codes.file), codes.offset)));
    session = await ort.InferenceSession.create(graphFile, SESSION_OPTIONS);
  } catch {
    // An unwritable folder, or a runtime that cannot read external data: the codes go in the graph.
    return createFromMemory(compact, codes.read());
  } finally {
    fs.rmSync(graphFile, { force: true });
  }
  // Another process may have replaced the file (a rebuild renames a new one over it) between our open
  // and ONNX Runtime's: then the session holds other codes than our ids describe. Read ours instead.
  if (codes.stillThere()) return session;
  await session.release();
  return createFromMemory(compact, codes.read());
}

let loads = 0;

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: Math.min(os.availableParallelism(), 4),
  graphOptimizationLevel: 'all',
};

function createFromMemory(compact: CompactVectors, codes: Int8Array): Promise<ort.InferenceSession> {
  const initializer: onnx.ITensorProto = {
    name: 'codes',
    dims: [compact.dimensions, compact.count],
    dataType: INT8,
    rawData: new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength),
  };
  return ort.InferenceSession.create(scanGraph(compact, initializer), SESSION_OPTIONS);
}

function externalCodes(compact: CompactVectors, location: string, offset: number): onnx.ITensorProto {
  return {
    name: 'codes',
    dims: [compact.dimensions, compact.count],
    dataType: INT8,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(compact.dimensions * compact.count) },
    ],
  };
}

function scanGraph(compact: CompactVectors, codes: onnx.ITensorProto): Uint8Array {
  const n = compact.count;
  return encodeModel({
    name: 'facet_int8_vector_scan',
    input: [
      valueInfo('query', UINT8, [1, compact.dimensions]),
      valueInfo('zero', UINT8, []),
      valueInfo('mask', FLOAT, [1, n]),
      valueInfo('k', INT64, [1]),
    ],
    initializer: [codes],
    output: [valueInfo('values', FLOAT, [1, 'k']), valueInfo('indices', INT64, [1, 'k'])],
    node: [
      node('MatMulInteger', ['query', 'codes', 'zero'], ['dots']),
      node('Cast', ['dots'], ['unmasked'], [intAttribute('to', FLOAT)]),
      node('Add', ['unmasked', 'mask'], ['scores']),
      node('TopK', ['scores', 'k'], ['values', 'indices']),
    ],
  });
}

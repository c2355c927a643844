import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { type CodeBlock, type CompactVectors, codeBlocks } from './compact-vectors';
import { FLOAT, INT64, INT8, UINT8, encodeModel, intAttribute, node, valueInfo } from './onnx-graph';

/**
 * The scan over one index's int8 codes: per block of codes (compact-vectors.ts), scores =
 * MatMulInteger(query u8 − 128, codes s8) + mask; TopK(k); then the blocks' top k merged.
 *
 * The codes are a constant of the graph (an initializer), not an input. Measured at 1M × 512 on this
 * 2-core machine (no AVX2), quiet: as an input, MLAS re-packs the whole matrix on every query (49 ms on
 * one thread, 26 ms on two); as an initializer it packs once when the session is created and a query
 * costs 16 ms on one thread, 12 ms on two (13 ms with the mask and TopK). Since a query takes 12 ms,
 * it uses up to four cores: an interactive search is short, and the indexer yields to it only briefly.
 *
 * When the codes are in the persisted file, the graph points ONNX Runtime at that file (external data)
 * instead of carrying them: the codes never pass through the JS heap, and the process keeps one packed
 * copy (~530 MB per million). ONNX Runtime resolves external data relative to the model's own path, so
 * the few-hundred-byte graph is written beside the file for the moment of loading, then removed.
 *
 * One session per block, created one after another: while a session is created, ONNX Runtime holds
 * the codes it read (memory-mapped) and its packed copy at once. With one session over all 512 MB the
 * search bench at 1M peaked at 1.22 GB (1,192,776 kB; end state 746 MB); block by block only one block
 * (~32 MB) exists twice, and the bench's peak is its end state (741 MB). A query runs the blocks one
 * after another (onnxruntime-node runs on the JS thread) and merges their top k: p50 15 ms against 13 ms
 * for one matrix, measured on the scan alone at 1M in 16 blocks.
 */
export class Int8Scan {
  private constructor(private readonly blocks: readonly { block: CodeBlock; session: ort.InferenceSession; open: ort.Tensor }[]) {}

  static async open(compact: CompactVectors): Promise<Int8Scan> {
    const blocks = codeBlocks(compact);
    const sessions: ort.InferenceSession[] = [];
    try {
      for (const block of blocks) sessions.push(await blockSession(compact, block));
      // Another process may have replaced the file (a rebuild renames a new one over it) between our
      // open and ONNX Runtime's: then the sessions hold other codes than our ids describe. Read ours.
      if (!(compact.codes instanceof Int8Array) && !compact.codes.stillThere()) {
        await releaseAll(sessions.splice(0));
        for (const block of blocks) sessions.push(await fromMemory(compact, block, compact.codes.read(block.index)));
      }
    } catch (error) {
      await releaseAll(sessions);
      throw error;
    }
    return new Int8Scan(
      blocks.map((block, i) => ({
        block,
        session: sessions[i]!,
        open: new ort.Tensor('float32', new Float32Array(block.rows), [1, block.rows]),
      })),
    );
  }

  /**
   * Rows of the `k` best scores, best first, leaving out rows the mask (0 allowed, −∞ not; one value
   * per row of the index) rules out. Ties go to the lower row.
   */
  async nearest(query: Uint8Array, k: number, mask: Float32Array | null): Promise<number[]> {
    const queryTensor = new ort.Tensor('uint8', query, [1, query.length]);
    const found: { score: number; row: number }[] = [];
    for (const { block, session, open } of this.blocks) {
      const blockMask = mask?.subarray(block.start, block.start + block.rows);
      // A filter whose photos lie in a few blocks (rows follow indexing order: a trip, a year) skips
      // the others; finding the first allowed row costs microseconds, a block's run ~1 ms per million.
      if (blockMask && blockMask.indexOf(0) < 0) continue;
      const result = await session.run({
        query: queryTensor,
        zero: ZERO_POINT,
        mask: blockMask ? new ort.Tensor('float32', blockMask, [1, block.rows]) : open,
        k: new ort.Tensor('int64', BigInt64Array.of(BigInt(Math.min(k, block.rows))), [1]),
      });
      const scores = result.values!.data as Float32Array;
      const rows = result.indices!.data as BigInt64Array;
      for (let i = 0; i < scores.length && scores[i] !== Number.NEGATIVE_INFINITY; i++)
        found.push({ score: scores[i]!, row: block.start + Number(rows[i]) });
    }
    if (this.blocks.length > 1) found.sort((a, b) => b.score - a.score || a.row - b.row);
    return found.slice(0, k).map((f) => f.row);
  }

  /** Frees the packed codes (~530 MB per million) now, not when the GC gets to the sessions. */
  release(): Promise<void> {
    return releaseAll(this.blocks.map((b) => b.session));
  }
}

async function releaseAll(sessions: readonly ort.InferenceSession[]): Promise<void> {
  await Promise.all(sessions.map((s) => s.release().catch(() => undefined)));
}

let loads = 0;

/**
 * Spinning off: after a run, ONNX Runtime's worker threads spin for a while waiting for more work.
 * With one session per block, the previous block's spinning workers took the cores from the next
 * block's run: measured at 1M in 8 blocks, p50 75 ms with spinning and 15 ms without. One session over
 * all codes measured 13.8 ms with spinning and 12.9 ms without, so nothing is lost by it either.
 */
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: Math.min(os.availableParallelism(), 4),
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' } } },
};

const ZERO_POINT = new ort.Tensor('uint8', Uint8Array.of(128), []);

async function blockSession(compact: CompactVectors, block: CodeBlock): Promise<ort.InferenceSession> {
  const codes = compact.codes;
  if (codes instanceof Int8Array)
    return fromMemory(compact, block, codes.subarray(block.start * compact.dimensions, (block.start + block.rows) * compact.dimensions));
  const graphFile = path.join(path.dirname(codes.file), `${path.basename(codes.file)}.${process.pid}-${++loads}.scan.onnx`);
  try {
    const external = externalCodes(compact.dimensions, block, path.basename(codes.file), codes.offset(block.index));
    fs.writeFileSync(graphFile, scanGraph(compact.dimensions, block.rows, external));
    return await ort.InferenceSession.create(graphFile, SESSION_OPTIONS);
  } catch {
    // An unwritable folder, or a runtime that cannot read external data: the codes go in the graph.
    return fromMemory(compact, block, codes.read(block.index));
  } finally {
    fs.rmSync(graphFile, { force: true });
  }
}

function fromMemory(compact: CompactVectors, block: CodeBlock, codes: Int8Array): Promise<ort.InferenceSession> {
  const initializer: onnx.ITensorProto = {
    name: 'codes',
    dims: [compact.dimensions, block.rows],
    dataType: INT8,
    rawData: new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength),
  };
  return ort.InferenceSession.create(scanGraph(compact.dimensions, block.rows, initializer), SESSION_OPTIONS);
}

function externalCodes(dimensions: number, block: CodeBlock, location: string, offset: number): onnx.ITensorProto {
  return {
    name: 'codes',
    dims: [dimensions, block.rows],
    dataType: INT8,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(dimensions * block.rows) },
    ],
  };
}

function scanGraph(dimensions: number, rows: number, codes: onnx.ITensorProto): Uint8Array {
  return encodeModel({
    name: 'facet_int8_vector_scan',
    input: [
      valueInfo('query', UINT8, [1, dimensions]),
      valueInfo('zero', UINT8, []),
      valueInfo('mask', FLOAT, [1, rows]),
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

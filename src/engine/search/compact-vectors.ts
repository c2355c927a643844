import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FacetError } from '../../common/errors';
import type { Db } from '../library/database';
import type { VectorSource } from '../library/image-vectors';
import type { VectorTable } from '../library/vector-tables';

/**
 * The compact form of one model's image vectors, persisted beside the database so a cold start reads
 * an eighth of the float data and never walks SQLite's pages:
 *
 *   header (JSON, padded to HEADER_BYTES) | photo ids (float64 × n) | int8 codes in blocks of
 *   `blockRows` photos, each dimension-major (d × rows) and starting on a CODES_ALIGN boundary
 *   | float32 vectors, photo-major (n × d)
 *
 * The int8 codes are what the scan keeps in memory (1 byte per dimension instead of 4); each block is
 * dimension-major because ONNX Runtime's MatMulInteger takes the matrix as [K, N] and its u8 × s8
 * kernel (measured: ~20 ms for 1M × 512 on one core here, against ~300–800 ms for s8 × s8 or the
 * photo-major u8 layout) needs that shape. Each dimension has its own scale (CLIP vectors are not
 * isotropic: a few dimensions carry most of the range), folded into the query at search time.
 *
 * The codes are in blocks (version 2; version 1 had one d × n matrix) so the scan can load them one
 * block at a time (int8-scan.ts): ONNX Runtime reads a block and packs it into its own copy, and
 * holding the read block and the packed copy of all 512 MB at once peaked the process at 1.19 GB.
 * A version-1 file fails the header check and is rebuilt from the database, like any stale file.
 *
 * The float32 rows are the full-precision copy the top candidates are rescored against, read one row
 * at a time from the file (the OS page cache, not the process heap, holds them). They are not read
 * from vec0 itself because a point lookup there costs ~0.27 ms (it walks the overflow chain of a
 * 2 MB chunk blob; measured on the 1M bench library), so rescoring 200 candidates would cost 55 ms.
 *
 * The file is a cache: its header names the table, dimensions, count and the photo_embeddings
 * signature it was built from; any mismatch, truncation or unreadable header means "rebuild".
 */
export const COMPACT_FORMAT = 'facet-compact-vectors';
export const COMPACT_VERSION = 2;
const HEADER_BYTES = 64 * 1024;
/**
 * Bytes of codes per block: what the scan's load holds twice for a moment (read and packed), so the
 * peak is ~32 MB over the end state. Measured at 1M × 512 on this 2-core machine, one session per
 * block, spinning off: 16 blocks of 32 MB query in p50 15 / p95 17 ms, 8 of 64 MB in 15 / 19 ms,
 * 4 of 128 MB in 15 / 16 ms, one matrix in 13 / 14 ms; the load's peak over its end state was 30, 61,
 * 122 and 487 MB.
 */
const SCAN_BLOCK_BYTES = 32 * 1024 * 1024;
/**
 * Each block starts on a 64 KiB boundary (the allocation granularity of Windows, a multiple of every
 * page size) so ONNX Runtime memory-maps it instead of reading it into a buffer: measured, the mapped
 * block shows as the file's pages in RSS while it is packed and is unmapped afterwards, so this saves
 * a copy, not peak memory; the blocks are what bound the peak.
 */
const CODES_ALIGN = 64 * 1024;

const headerSchema = z.object({
  format: z.literal(COMPACT_FORMAT),
  version: z.literal(COMPACT_VERSION),
  table: z.string(),
  dimensions: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  signature: z.string(),
  /** Photos per block of codes (the last block may hold fewer). */
  blockRows: z.number().int().positive(),
  /** Per dimension: the largest |value|, which int8 code 127 stands for. */
  scales: z.array(z.number().nonnegative()),
});
type CompactHeader = z.infer<typeof headerSchema>;

export interface CompactVectors {
  file: string | null;
  dimensions: number;
  count: number;
  signature: string;
  ids: Float64Array;
  /** Photos per block of codes: block b holds rows b × blockRows … (b + 1) × blockRows − 1. */
  blockRows: number;
  /**
   * The int8 codes, block by block, each dimension-major (see codeBlocks): where they lie in a file
   * (the scan session reads them from there itself, so they never pass through the JS heap), or in
   * memory when there is no file (an in-memory database, an unwritable folder), blocks back to back.
   */
  codes: CodesInFile | Int8Array;
  scales: Float32Array;
  /** Reads full-precision rows (rescoring, small filtered sets). */
  rows: RowReader;
}

export interface CodesInFile {
  file: string;
  /** Where block b's codes start in the file. */
  offset(block: number): number;
  /** Whether `file` still names the file this index opened (another process may have replaced it since). */
  stillThere(): boolean;
  /** Block b's codes read from the file this index opened: the scan's fallback when it cannot point ONNX Runtime at the file. */
  read(block: number): Int8Array;
}

/** One block of codes: `rows` photos from row `start`, a dimensions × rows matrix. */
export interface CodeBlock {
  index: number;
  start: number;
  rows: number;
}

export function codeBlocks(compact: Pick<CompactVectors, 'count' | 'blockRows'>): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (let start = 0, index = 0; start < compact.count; start += compact.blockRows, index++)
    blocks.push({ index, start, rows: Math.min(compact.blockRows, compact.count - start) });
  return blocks;
}

/** Photos per block of codes for vectors of these dimensions (SCAN_BLOCK_BYTES each). */
export function scanBlockRows(dimensions: number): number {
  return Math.max(1, Math.floor(SCAN_BLOCK_BYTES / dimensions));
}

export interface RowReader {
  read(row: number, into: Float32Array): void;
  /** These rows, packed one after another, read in parallel (each is a random read of the file). */
  readMany(rows: readonly number[]): Promise<Float32Array>;
  close(): void;
}

interface FileRowReader extends RowReader {
  readBytes(into: Uint8Array, position: number): void;
  isAt(file: string): boolean;
}

function codesIn(file: string, rows: FileRowReader, at: Layout, count: number, dims: number): CodesInFile {
  const offset = (block: number) => at.codes + block * at.blockStride;
  return {
    file,
    offset,
    stillThere: () => rows.isAt(file),
    read: (block) => {
      const codes = new Int8Array(Math.min(at.blockRows, count - block * at.blockRows) * dims);
      rows.readBytes(new Uint8Array(codes.buffer), offset(block));
      return codes;
    },
  };
}

export function compactFilePath(db: Db, table: VectorTable): string | null {
  const dbFile = db.name;
  if (!dbFile || dbFile === ':memory:' || !path.isAbsolute(dbFile)) return null;
  return path.join(path.dirname(dbFile), 'vector-index', `${table.tableName}.fcv`);
}

interface Layout {
  ids: number;
  codes: number;
  blockRows: number;
  /** From one block's start to the next's. */
  blockStride: number;
  rows: number;
  end: number;
}

function layout(count: number, dims: number, blockRows: number): Layout {
  const ids = HEADER_BYTES;
  const codes = alignUp(ids + count * 8, CODES_ALIGN);
  const blockStride = alignUp(blockRows * dims, CODES_ALIGN);
  const blocks = Math.ceil(count / blockRows);
  const codesEnd = blocks === 0 ? codes : codes + (blocks - 1) * blockStride + (count - (blocks - 1) * blockRows) * dims;
  const rows = alignUp(codesEnd, 8);
  return { ids, codes, blockRows, blockStride, rows, end: rows + count * dims * 4 };
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/**
 * The persisted compact vectors if the file is sound and holds this table (and, unless `signature` is
 * null, was built from exactly this signature), else null (rebuild).
 */
export function openCompactVectors(file: string, table: VectorTable, signature: string | null): CompactVectors | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    if (fs.readSync(fd, head, 0, HEADER_BYTES, 0) !== HEADER_BYTES) throw new Error('short header');
    const text = head.subarray(0, head.indexOf(0) < 0 ? HEADER_BYTES : head.indexOf(0)).toString('utf8');
    const header = headerSchema.parse(JSON.parse(text));
    const dims = table.dimensions;
    if (
      header.table !== table.tableName ||
      header.dimensions !== dims ||
      (signature !== null && header.signature !== signature) ||
      header.scales.length !== dims
    )
      throw new Error('stale');
    const at = layout(header.count, dims, header.blockRows);
    if (fs.fstatSync(fd).size !== at.end) throw new Error('truncated');
    const ids = new Float64Array(header.count);
    readFully(fd, new Uint8Array(ids.buffer), at.ids);
    const rows = fileRows(fd, dims, at.rows, null);
    return {
      file,
      dimensions: dims,
      count: header.count,
      signature: header.signature,
      ids,
      blockRows: header.blockRows,
      codes: codesIn(file, rows, at, header.count, dims),
      scales: Float32Array.from(header.scales),
      rows,
    };
  } catch {
    fs.closeSync(fd);
    return null;
  }
}

/**
 * Builds the compact form from vec0's shadow chunks in two passes: the first writes the float rows to
 * the file (and finds each dimension's range), the second quantizes them from that file one block at
 * a time, so memory holds one block of int8 codes (~32 MB), never every float vector or every code.
 * Written to a temporary name and renamed, so another process never sees half a file. Without a file
 * path (an in-memory database) it is in memory. `blockRows` is a parameter for the tests (many blocks
 * over a small library); a reader takes it from the file's header.
 */
export function buildCompactVectors(
  db: Db,
  table: VectorTable,
  signature: string,
  file: string | null,
  source: VectorSource,
  blockRows = scanBlockRows(table.dimensions),
): CompactVectors & { expected: number } {
  const dims = table.dimensions;
  const tmp = file ? `${file}.${process.pid}.tmp` : null;
  if (file) fs.mkdirSync(path.dirname(file), { recursive: true });
  const memoryRows: Float32Array[] = [];
  const fd = tmp ? fs.openSync(tmp, 'w+') : null;
  try {
    const { ids, count, expected, scales } = db
      .transaction(() => {
        const expected = source.count();
        const at = layout(expected, dims, blockRows);
        const ids = new Float64Array(expected);
        const maxAbs = new Float32Array(dims);
        let count = 0;
        for (const batch of source.batches()) {
          const take = Math.min(batch.ids.length, expected - count);
          for (let i = 0; i < take; i++) {
            ids[count + i] = batch.ids[i]!;
            const v = batch.vectors.subarray(i * dims, (i + 1) * dims);
            for (let d = 0; d < dims; d++) maxAbs[d] = Math.max(maxAbs[d]!, Math.abs(v[d]!));
          }
          const floats = batch.vectors.subarray(0, take * dims);
          if (fd !== null)
            fs.writeSync(
              fd,
              new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength),
              0,
              floats.byteLength,
              at.rows + count * dims * 4,
            );
          else memoryRows.push(floats.slice());
          count += take;
        }
        return { ids: ids.subarray(0, count), count, expected, scales: maxAbs };
      })
      .deferred();
    const at = layout(count, dims, blockRows);
    const blocks = codeBlocks({ count, blockRows });
    const common = { file, dimensions: dims, count, expected, signature, blockRows, ids: Float64Array.from(ids), scales };
    // Block b's codes, dimension-major: codes[d * block.rows + (row − block.start)].
    const quantize = (codes: Int8Array, block: CodeBlock, row: number, v: Float32Array) => {
      for (let d = 0; d < dims; d++) codes[d * block.rows + row - block.start] = quantizeValue(v[d]!, scales[d]!);
    };
    if (fd === null) {
      const codes = new Int8Array(count * dims);
      const all = memoryRowsReader(memoryRows, dims);
      const v = new Float32Array(dims);
      for (const block of blocks) {
        const own = codes.subarray(block.start * dims, (block.start + block.rows) * dims);
        for (let row = block.start; row < block.start + block.rows; row++) {
          all.read(row, v);
          quantize(own, block, row, v);
        }
      }
      return { ...common, codes, rows: all };
    }
    // The rows were written at the position of the expected count; move them if fewer arrived.
    const writtenAt = layout(expected, dims, blockRows).rows;
    const chunk = new Float32Array(4096 * dims);
    for (const block of blocks) {
      const codes = new Int8Array(block.rows * dims);
      for (let start = block.start; start < block.start + block.rows; start += 4096) {
        const n = Math.min(4096, block.start + block.rows - start);
        const bytes = new Uint8Array(chunk.buffer, 0, n * dims * 4);
        readFully(fd, bytes, writtenAt + start * dims * 4);
        for (let i = 0; i < n; i++) quantize(codes, block, start + i, chunk.subarray(i * dims, (i + 1) * dims));
        if (writtenAt !== at.rows) fs.writeSync(fd, bytes, 0, bytes.byteLength, at.rows + start * dims * 4);
      }
      fs.writeSync(fd, new Uint8Array(codes.buffer), 0, codes.byteLength, at.codes + block.index * at.blockStride);
    }
    fs.ftruncateSync(fd, at.end);
    const header: CompactHeader = {
      format: COMPACT_FORMAT,
      version: COMPACT_VERSION,
      table: table.tableName,
      dimensions: dims,
      count,
      signature,
      blockRows,
      scales: Array.from(scales),
    };
    const head = Buffer.alloc(HEADER_BYTES);
    head.write(JSON.stringify(header), 'utf8');
    fs.writeSync(fd, head, 0, HEADER_BYTES, 0);
    fs.writeSync(fd, new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength), 0, ids.byteLength, at.ids);
    fs.closeSync(fd);
    // The codes stay in the file only: holding them here too would keep 512 MB per million alive.
    const persisted = persistedRows(tmp!, file!, dims, at.rows);
    return { ...common, codes: codesIn(persisted.path, persisted.rows, at, count, dims), rows: persisted.rows };
  } catch (error) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
      fs.rmSync(tmp!, { force: true });
    }
    throw error;
  }
}

export function quantizeValue(value: number, scale: number): number {
  if (scale === 0) return 0;
  return Math.max(-127, Math.min(127, Math.round((value / scale) * 127)));
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.byteLength) {
    const n = fs.readSync(fd, into, done, into.byteLength - done, position + done);
    if (n === 0) throw new Error('unexpected end of file');
    done += n;
  }
}

async function readFullyAsync(fd: number, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.byteLength) {
    const n = await new Promise<number>((resolve, reject) =>
      fs.read(fd, into, done, into.byteLength - done, position + done, (error, read) => (error ? reject(error) : resolve(read))),
    );
    if (n === 0) throw new Error('unexpected end of file');
    done += n;
  }
}

/** Errors of a rename over a file another reader holds open (Windows), not of an unwritable folder. */
const RENAME_BLOCKED = ['EPERM', 'EACCES', 'EBUSY'];

/**
 * Moves the finished temporary file to its name and reads rows from it. When the rename is refused
 * because the previous file is still open (Windows: a search in flight on the old index), the rows are
 * read from the temporary file, which is deleted when closed; the next build persists. Either way the
 * float rows stay on disk: holding them in memory would cost 2 GB per million photos.
 */
function persistedRows(tmp: string, file: string, dims: number, offset: number): { rows: FileRowReader; path: string } {
  try {
    fs.renameSync(tmp, file);
    return { rows: fileRows(fs.openSync(file, 'r'), dims, offset, null), path: file };
  } catch (error) {
    if (!RENAME_BLOCKED.includes((error as NodeJS.ErrnoException).code ?? '')) {
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    return { rows: fileRows(fs.openSync(tmp, 'r'), dims, offset, tmp), path: tmp };
  }
}

/**
 * Rows read from the file: a random row costs ~4 µs from the page cache and 50–120 µs from this
 * machine's disk. Reading the whole row section ahead in the background (to warm the page cache) was
 * measured and dropped: on a first run with the file out of the cache it made queries slower (p95 35
 * against 20 ms unfiltered; its reads and copies compete with the queries' own), and on this shared
 * machine the kernel had evicted most of it again within minutes.
 */
function fileRows(fd: number, dims: number, offset: number, removeOnClose: string | null): FileRowReader {
  let open = true;
  const readBytes = (into: Uint8Array, position: number) => {
    if (!open) throw new FacetError('conflict', 'the search index was replaced while this search ran: search again');
    readFully(fd, into, position);
  };
  return {
    read(row, into) {
      readBytes(new Uint8Array(into.buffer, into.byteOffset, dims * 4), offset + row * dims * 4);
    },
    async readMany(rows) {
      if (!open) throw new FacetError('conflict', 'the search index was replaced while this search ran: search again');
      const out = new Float32Array(rows.length * dims);
      const bytes = new Uint8Array(out.buffer);
      const rowBytes = dims * 4;
      await Promise.all(
        rows.map((row, i) => readFullyAsync(fd, bytes.subarray(i * rowBytes, (i + 1) * rowBytes), offset + row * rowBytes)),
      );
      return out;
    },
    readBytes,
    isAt(file) {
      try {
        const opened = fs.fstatSync(fd);
        const named = fs.statSync(file);
        return opened.ino === named.ino && opened.dev === named.dev;
      } catch {
        return false;
      }
    },
    close() {
      // Idempotent: closing a number twice could close a file descriptor opened since by someone else.
      if (!open) return;
      open = false;
      fs.closeSync(fd);
      if (removeOnClose) fs.rmSync(removeOnClose, { force: true });
    },
  };
}

function memoryRowsReader(blocks: Float32Array[], dims: number): RowReader {
  const all = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    all.set(b, at);
    at += b.length;
  }
  return {
    read(row, into) {
      into.set(all.subarray(row * dims, (row + 1) * dims));
    },
    readMany(rows) {
      const out = new Float32Array(rows.length * dims);
      rows.forEach((row, i) => out.set(all.subarray(row * dims, (row + 1) * dims), i * dims));
      return Promise.resolve(out);
    },

    close() {},
  };
}

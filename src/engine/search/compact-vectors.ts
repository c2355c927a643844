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
 *   header (JSON, padded to HEADER_BYTES) | photo ids (float64 × n) | int8 codes, dimension-major (d × n)
 *   | float32 vectors, photo-major (n × d)
 *
 * The int8 codes are what the scan keeps in memory (1 byte per dimension instead of 4); the layout is
 * dimension-major because ONNX Runtime's MatMulInteger takes the matrix as [K, N] and its u8 × s8
 * kernel (measured: ~20 ms for 1M × 512 on one core here, against ~300–800 ms for s8 × s8 or the
 * photo-major u8 layout) needs that shape. Each dimension has its own scale (CLIP vectors are not
 * isotropic: a few dimensions carry most of the range), folded into the query at search time.
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
export const COMPACT_VERSION = 1;
const HEADER_BYTES = 64 * 1024;

const headerSchema = z.object({
  format: z.literal(COMPACT_FORMAT),
  version: z.literal(COMPACT_VERSION),
  table: z.string(),
  dimensions: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  signature: z.string(),
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
  /**
   * The int8 codes, dimension-major (codes[d * count + row]): where they lie in a file (the scan
   * session reads them from there itself, so they never pass through the JS heap), or in memory when
   * there is no file (an in-memory database, an unwritable folder).
   */
  codes: CodesInFile | Int8Array;
  scales: Float32Array;
  /** Reads full-precision rows (rescoring, small filtered sets). */
  rows: RowReader;
}

export interface CodesInFile {
  file: string;
  offset: number;
  /** Whether `file` still names the file this index opened (another process may have replaced it since). */
  stillThere(): boolean;
  /** The codes read from the file this index opened: the scan's fallback when it cannot point ONNX Runtime at the file. */
  read(): Int8Array;
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

function codesIn(file: string, rows: FileRowReader, offset: number, length: number): CodesInFile {
  return {
    file,
    offset,
    stillThere: () => rows.isAt(file),
    read: () => {
      const codes = new Int8Array(length);
      rows.readBytes(new Uint8Array(codes.buffer), offset);
      return codes;
    },
  };
}

export function compactFilePath(db: Db, table: VectorTable): string | null {
  const dbFile = db.name;
  if (!dbFile || dbFile === ':memory:' || !path.isAbsolute(dbFile)) return null;
  return path.join(path.dirname(dbFile), 'vector-index', `${table.tableName}.fcv`);
}

function layout(count: number, dims: number) {
  const ids = HEADER_BYTES;
  const codes = ids + count * 8;
  const rows = codes + Math.ceil((count * dims) / 8) * 8;
  return { ids, codes, rows, end: rows + count * dims * 4 };
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
    const at = layout(header.count, dims);
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
      codes: codesIn(file, rows, at.codes, header.count * dims),
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
 * the file (and finds each dimension's range), the second quantizes them from that file, so memory
 * holds only the int8 codes, never every float vector. Written to a temporary name and renamed, so
 * another process never sees half a file. Without a file path (an in-memory database) it is in memory.
 */
export function buildCompactVectors(
  db: Db,
  table: VectorTable,
  signature: string,
  file: string | null,
  source: VectorSource,
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
        const at = layout(expected, dims);
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
    const at = layout(count, dims);
    const codes = new Int8Array(count * dims);
    const quantize = (row: number, v: Float32Array) => {
      for (let d = 0; d < dims; d++) codes[d * count + row] = quantizeValue(v[d]!, scales[d]!);
    };
    if (fd === null) {
      let row = 0;
      for (const block of memoryRows)
        for (let i = 0; i < block.length / dims; i++) quantize(row++, block.subarray(i * dims, (i + 1) * dims));
    } else {
      // The rows were written at the position of the expected count; move them if fewer arrived.
      const written = layout(count, dims);
      const block = new Float32Array(4096 * dims);
      for (let start = 0; start < count; start += 4096) {
        const n = Math.min(4096, count - start);
        readFully(fd, new Uint8Array(block.buffer, 0, n * dims * 4), at.rows + start * dims * 4);
        for (let i = 0; i < n; i++) quantize(start + i, block.subarray(i * dims, (i + 1) * dims));
        if (written.rows !== at.rows)
          fs.writeSync(fd, new Uint8Array(block.buffer, 0, n * dims * 4), 0, n * dims * 4, written.rows + start * dims * 4);
      }
      fs.ftruncateSync(fd, written.end);
      const header: CompactHeader = {
        format: COMPACT_FORMAT,
        version: COMPACT_VERSION,
        table: table.tableName,
        dimensions: dims,
        count,
        signature,
        scales: Array.from(scales),
      };
      const head = Buffer.alloc(HEADER_BYTES);
      head.write(JSON.stringify(header), 'utf8');
      fs.writeSync(fd, head, 0, HEADER_BYTES, 0);
      fs.writeSync(fd, new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength), 0, ids.byteLength, written.ids);
      fs.writeSync(fd, new Uint8Array(codes.buffer), 0, codes.byteLength, written.codes);
      fs.closeSync(fd);
    }
    const common = { file, dimensions: dims, count, expected, signature, ids: Float64Array.from(ids), scales };
    if (!file) return { ...common, codes, rows: memoryRowsReader(memoryRows, dims) };
    // The codes stay in the file only: holding them here too would keep 512 MB per million alive.
    const persisted = persistedRows(tmp!, file, dims, at.rows);
    return { ...common, codes: codesIn(persisted.path, persisted.rows, at.codes, codes.length), rows: persisted.rows };
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

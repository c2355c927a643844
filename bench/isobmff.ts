/**
 * ISO base media file format boxes (ISO/IEC 14496-12), as far as the HEIC bench and tests need them: read
 * the box tree of a file heif-enc wrote, and write new boxes.
 *
 * WHY hand-written: no npm package edits HEIF item properties, and Debian 12's heif-enc writes neither
 * grids nor rotations (see heic-grid.ts, heic-rotation.ts).
 */
export interface Box {
  type: string;
  start: number;
  /** Where the payload starts, after size and type (a full box's version and flags are part of it). */
  body: number;
  end: number;
}

export function boxes(buffer: Buffer, start: number, end: number): Box[] {
  const found: Box[] = [];
  for (let at = start; at + 8 <= end;) {
    let size = buffer.readUInt32BE(at);
    let body = at + 8;
    if (size === 1) {
      size = Number(buffer.readBigUInt64BE(at + 8));
      body += 8;
    } else if (size === 0) size = end - at;
    found.push({ type: buffer.toString('latin1', at + 4, at + 8), start: at, body, end: at + size });
    at += size;
  }
  return found;
}

export function child(buffer: Buffer, parent: Box, type: string): Box {
  // meta is a full box: its children start after its version and flags.
  const found = boxes(buffer, parent.body + (parent.type === 'meta' ? 4 : 0), parent.end).find((b) => b.type === type);
  if (!found) throw new Error(`no ${type} box in ${parent.type}`);
  return found;
}

export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

export function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE((version << 24) | flags, 0);
  return box(type, head, ...payload);
}

export function u16(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => buffer.writeUInt16BE(v, i * 2));
  return buffer;
}

export function u32(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeUInt32BE(v, i * 4));
  return buffer;
}

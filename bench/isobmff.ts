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

/** One item's entry in the iloc box: where its bytes are, and where each field that says so sits in the file. */
export interface ItemLocation {
  id: number;
  /** 0: at file offsets (the only one these tools follow); 1 and 2 point into idat or another item. */
  constructionMethod: number;
  baseOffset: number;
  /** Where the base offset field is, or null when the box has none (each extent's offset is then absolute). */
  baseOffsetField: number | null;
  extents: {
    offset: number;
    length: number;
    /** Where its offset field is, or null when the box has none. */ offsetField: number | null;
  }[];
  /** The size in bytes of the box's offset and base offset fields (0, 4 or 8), the same for every item. */
  fieldBytes: { offset: number; baseOffset: number };
}

/**
 * The item locations of the iloc box in `meta` (ISO/IEC 14496-12 §8.11.3), every version, with where each
 * offset field sits (a caller moving the file's body rewrites them). Fields of 0, 4 or 8 bytes are read.
 */
export function itemLocations(file: Buffer, meta: Box): ItemLocation[] {
  const iloc = child(file, meta, 'iloc');
  const version = file[iloc.body]!;
  let at = iloc.body + 4;
  const sizes = file.readUInt16BE(at);
  at += 2;
  const [offsetSize, lengthSize, baseSize] = [sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15];
  const indexSize = version === 1 || version === 2 ? sizes & 15 : 0;
  const read = (bytes: number): { value: number; field: number | null } => {
    const field = bytes === 0 ? null : at;
    const value = bytes === 0 ? 0 : bytes === 4 ? file.readUInt32BE(at) : bytes === 8 ? Number(file.readBigUInt64BE(at)) : NaN;
    if (Number.isNaN(value)) throw new Error(`iloc field of ${bytes} bytes`);
    at += bytes;
    return { value, field };
  };
  const wideIds = version === 2;
  const itemCount = wideIds ? file.readUInt32BE(at) : file.readUInt16BE(at);
  at += wideIds ? 4 : 2;
  const locations: ItemLocation[] = [];
  for (let item = 0; item < itemCount; item++) {
    const id = wideIds ? file.readUInt32BE(at) : file.readUInt16BE(at);
    at += wideIds ? 4 : 2;
    const constructionMethod = version === 1 || version === 2 ? file.readUInt16BE(at) & 15 : 0;
    at += (version === 1 || version === 2 ? 2 : 0) + 2; // construction method, data reference index
    const base = read(baseSize);
    const extentCount = file.readUInt16BE(at);
    at += 2;
    const extents: ItemLocation['extents'] = [];
    for (let extent = 0; extent < extentCount; extent++) {
      read(indexSize);
      const offset = read(offsetSize);
      extents.push({ offset: offset.value, offsetField: offset.field, length: read(lengthSize).value });
    }
    locations.push({
      id,
      constructionMethod,
      baseOffset: base.value,
      baseOffsetField: base.field,
      extents,
      fieldBytes: { offset: offsetSize, baseOffset: baseSize },
    });
  }
  return locations;
}

/** One item's entry in the ipma box: its property indices (1-based into ipco; 0 means none). */
export interface ItemProperties {
  id: number;
  /** Where the entry's association count byte is, and where its list ends (to insert an association). */
  countField: number;
  end: number;
  indices: number[];
}

/** The property associations of the ipma box in `iprp` (ISO/IEC 23008-12 §9.3), versions 0 and 1. */
export function itemProperties(file: Buffer, iprp: Box): ItemProperties[] {
  const ipma = child(file, iprp, 'ipma');
  const version = file[ipma.body]!;
  const wide = (file.readUInt32BE(ipma.body) & 1) === 1;
  let at = ipma.body + 8;
  const entries: ItemProperties[] = [];
  for (let entry = file.readUInt32BE(ipma.body + 4); entry > 0; entry--) {
    const id = version < 1 ? file.readUInt16BE(at) : file.readUInt32BE(at);
    at += version < 1 ? 2 : 4;
    const countField = at++;
    const indices: number[] = [];
    for (let a = 0; a < file[countField]!; a++) {
      indices.push(wide ? file.readUInt16BE(at) & 0x7fff : file[at]! & 0x7f);
      at += wide ? 2 : 1;
    }
    entries.push({ id, countField, end: at, indices });
  }
  return entries;
}

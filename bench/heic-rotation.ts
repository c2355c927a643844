import { box, boxes, child } from './isobmff';

/**
 * The HEIC with an 'irot' property added to its primary image (ISO/IEC 23008-12 §6.5.10): turned
 * `quarterTurns` × 90° anticlockwise on display, as an iPhone stores a photo taken upright. The coded
 * pixels, EXIF and everything else stay; the boxes that hold the new property grow, and the item
 * locations (iloc) after them move by as much.
 *
 * WHY: Debian 12's heif-enc writes no irot (an EXIF orientation is copied as EXIF), and the decoders must
 * be shown turning a photo as HEIF requires. Tests and benches only.
 */
export function withRotation(heic: Buffer, quarterTurns: 1 | 2 | 3): Buffer {
  const file = Buffer.from(heic);
  const meta = boxes(file, 0, file.length).find((b) => b.type === 'meta');
  if (!meta) throw new Error('no meta box');
  const pitm = child(file, meta, 'pitm');
  const primary = file[pitm.body]! === 0 ? file.readUInt16BE(pitm.body + 4) : file.readUInt32BE(pitm.body + 4);
  const iprp = child(file, meta, 'iprp');
  const ipco = child(file, iprp, 'ipco');
  const ipma = child(file, iprp, 'ipma');
  if (file[ipma.body] !== 0) throw new Error('ipma version 1 is not handled');
  const wide = (file.readUInt32BE(ipma.body) & 1) === 1;
  const index = boxes(file, ipco.body, ipco.end).length + 1; // properties are numbered from 1
  // The primary item's association list: its count byte, and where the list ends.
  let at = ipma.body + 8;
  let count = -1;
  let listEnd = -1;
  for (let entry = file.readUInt32BE(ipma.body + 4); entry > 0; entry--) {
    const id = file.readUInt16BE(at);
    const associations = file[at + 2]!;
    const end = at + 3 + associations * (wide ? 2 : 1);
    if (id === primary) [count, listEnd] = [at + 2, end];
    at = end;
  }
  if (count < 0) throw new Error(`no properties for the primary item ${primary}`);
  const association = wide ? Buffer.from([0x80 | (index >> 8), index & 0xff]) : Buffer.from([0x80 | index]);
  const irot = box('irot', Buffer.from([quarterTurns]));
  file[count]! += 1;
  const grown = Buffer.concat([file.subarray(0, ipco.end), irot, file.subarray(ipco.end, listEnd), association, file.subarray(listEnd)]);
  const add = (offset: number, bytes: number) => grown.writeUInt32BE(grown.readUInt32BE(offset) + bytes, offset);
  add(meta.start, irot.length + association.length);
  add(iprp.start, irot.length + association.length);
  add(ipco.start, irot.length);
  add(ipma.start + irot.length, association.length);
  moveItemLocations(grown, irot.length + association.length);
  return grown;
}

/** Every file-offset item location (iloc construction method 0) moved by `bytes`. */
function moveItemLocations(file: Buffer, bytes: number): void {
  const meta = boxes(file, 0, file.length).find((b) => b.type === 'meta')!;
  const iloc = child(file, meta, 'iloc');
  const version = file[iloc.body]!;
  let at = iloc.body + 4;
  const sizes = file.readUInt16BE(at);
  at += 2;
  const [offsetSize, lengthSize, baseSize] = [sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15];
  const indexSize = version === 1 || version === 2 ? sizes & 15 : 0;
  if (![0, 4].includes(offsetSize) || ![0, 4].includes(baseSize)) throw new Error('only 32-bit item locations are handled');
  const items = version < 2 ? file.readUInt16BE(at) : file.readUInt32BE(at);
  at += version < 2 ? 2 : 4;
  for (let item = 0; item < items; item++) {
    at += version < 2 ? 2 : 4;
    const method = version === 1 || version === 2 ? file.readUInt16BE(at) & 15 : 0;
    at += (version === 1 || version === 2 ? 2 : 0) + 2; // construction method, data reference index
    // The base offset moves when there is one; otherwise each extent's offset does.
    if (baseSize && method === 0) file.writeUInt32BE(file.readUInt32BE(at) + bytes, at);
    at += baseSize;
    const extents = file.readUInt16BE(at);
    at += 2;
    for (let extent = 0; extent < extents; extent++) {
      at += indexSize;
      if (!baseSize && offsetSize && method === 0) file.writeUInt32BE(file.readUInt32BE(at) + bytes, at);
      at += offsetSize + lengthSize;
    }
  }
}

import { box, boxes, child, itemLocations, itemProperties } from './isobmff';

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
  const entry = itemProperties(file, iprp).find((item) => item.id === primary);
  if (!entry) throw new Error(`no properties for the primary item ${primary}`);
  const [count, listEnd] = [entry.countField, entry.end];
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
  const move = (field: number) => file.writeUInt32BE(file.readUInt32BE(field) + bytes, field);
  for (const item of itemLocations(file, meta)) {
    if (item.constructionMethod !== 0) continue;
    if (![0, 4].includes(item.fieldBytes.offset) || ![0, 4].includes(item.fieldBytes.baseOffset)) {
      throw new Error('only 32-bit item locations are handled');
    }
    // The base offset moves when there is one; otherwise each extent's offset does.
    const fields = item.baseOffsetField !== null ? [item.baseOffsetField] : item.extents.map((extent) => extent.offsetField);
    for (const field of fields) if (field !== null) move(field);
  }
}

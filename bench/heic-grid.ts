import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { type Box, box, boxes, child, fullBox, itemLocations, itemProperties, u16, u32 } from './isobmff';

/**
 * An iPhone-style grid HEIC: the picture cut into 512×512 HEVC tiles, each a hidden 'hvc1' item, and a
 * primary 'grid' item that names them (iref 'dimg') and says how to lay them out (ImageGrid in 'idat').
 *
 * WHY hand-written: Debian 12's heif-enc (libheif 1.15) writes only single-image HEICs, no npm package
 * writes HEIF grids, and no grid HEIC exists on this machine. Each tile is encoded by heif-enc (x265), then
 * its coded data and hvcC are moved into one file (ISO/IEC 23008-12 §6.6.2.3, ISO/IEC 14496-12 boxes).
 * Bench only: the bench measures what a grid costs to decode, against a single image of the same photo.
 */
export async function writeGridHeic(source: string, target: string, options: { tile?: number; quality?: number } = {}): Promise<void> {
  const tile = options.tile ?? 512;
  const { width, height } = await sharp(source).metadata();
  if (!width || !height) throw new Error(`${source} has no size`);
  const columns = Math.ceil(width / tile);
  const rows = Math.ceil(height / tile);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-grid-'));
  try {
    // The right and bottom tiles run past the picture (as an iPhone's do); the grid's size crops them.
    const padded = await sharp(source)
      .extend({ right: columns * tile - width, bottom: rows * tile - height, extendWith: 'copy' })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const pngs: string[] = [];
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        const png = path.join(work, `tile-${String(pngs.length).padStart(3, '0')}.png`);
        await sharp(padded)
          .extract({ left: column * tile, top: row * tile, width: tile, height: tile })
          .png({ compressionLevel: 0 })
          .toFile(png);
        pngs.push(png);
      }
    }
    // One heif-enc call for all tiles (one image each, in order): x265 starts once, not once a tile.
    const all = path.join(work, 'tiles.heic');
    execFileSync('heif-enc', ['-q', String(options.quality ?? 60), '-o', all, ...pngs]);
    const tiles = codedItems(fs.readFileSync(all));
    if (tiles.length !== pngs.length) throw new Error(`heif-enc wrote ${tiles.length} images for ${pngs.length} tiles`);
    fs.writeFileSync(target, gridFile(tiles, { rows, columns, width, height, tile }));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

interface Tile {
  /** The item's coded data: length-prefixed HEVC NAL units. */
  data: Buffer;
  /** Its hvcC property box (decoder configuration with VPS, SPS, PPS), whole. */
  hvcC: Buffer;
  /** Its colr property box, if heif-enc wrote one. */
  colr: Buffer | null;
}

/** Every HEVC image item of a HEIC written by heif-enc, in item order: its data, hvcC and colr. */
function codedItems(file: Buffer): Tile[] {
  const top = boxes(file, 0, file.length);
  const meta = top.find((b) => b.type === 'meta');
  if (!meta) throw new Error('no meta box');
  const iinf = child(file, meta, 'iinf');
  const iinfVersion = file[iinf.body]!;
  const hevcIds = boxes(file, iinf.body + 4 + (iinfVersion === 0 ? 2 : 4), iinf.end)
    .filter((b) => b.type === 'infe')
    .map((b) => {
      const wide = file[b.body]! >= 3;
      const id = wide ? file.readUInt32BE(b.body + 4) : file.readUInt16BE(b.body + 4);
      const type = file.toString('latin1', b.body + (wide ? 10 : 8), b.body + (wide ? 14 : 12));
      return { id, type };
    })
    .filter((item) => item.type === 'hvc1')
    .map((item) => item.id);

  // iloc: where each item's bytes are.
  const data = new Map<number, Buffer>();
  for (const item of itemLocations(file, meta)) {
    if (item.constructionMethod !== 0) continue;
    const at = (offset: number) => item.baseOffset + offset;
    data.set(item.id, Buffer.concat(item.extents.map((e) => file.subarray(at(e.offset), at(e.offset) + e.length))));
  }

  // ipma: which properties (1-based, in ipco order) belong to each item.
  const iprp = child(file, meta, 'iprp');
  const ipco = child(file, iprp, 'ipco');
  const properties = boxes(file, ipco.body, ipco.end);
  const associated = new Map<number, Box[]>(
    itemProperties(file, iprp).map((item) => [item.id, item.indices.filter((index) => index > 0).map((index) => properties[index - 1]!)]),
  );
  return hevcIds.map((id) => {
    const property = (type: string) => {
      const box = associated.get(id)?.find((b) => b.type === type);
      return box ? Buffer.from(file.subarray(box.start, box.end)) : null;
    };
    const hvcC = property('hvcC');
    const coded = data.get(id);
    if (!hvcC || !coded) throw new Error(`image item ${id} has no hvcC or no data in the file body`);
    return { data: Buffer.from(coded), hvcC, colr: property('colr') };
  });
}

function ispe(width: number, height: number): Buffer {
  return fullBox('ispe', 0, 0, u32(width, height));
}

function gridFile(tiles: Tile[], grid: { rows: number; columns: number; width: number; height: number; tile: number }): Buffer {
  const gridId = 1;
  const tileIds = tiles.map((_, i) => i + 2);
  // ipco: the grid's size, the tiles' size, the colour description, then each distinct hvcC once.
  const hvcCs: Buffer[] = [];
  const hvcCIndex = tiles.map((t) => {
    const found = hvcCs.findIndex((h) => h.equals(t.hvcC));
    if (found >= 0) return found;
    hvcCs.push(t.hvcC);
    return hvcCs.length - 1;
  });
  const colr = tiles[0]!.colr;
  const ipco = box('ipco', ispe(grid.width, grid.height), ispe(grid.tile, grid.tile), ...(colr ? [colr] : []), ...hvcCs);
  const firstHvcC = colr ? 4 : 3; // 1-based property indices
  const essential = 0x8000;
  const ipmaEntries = [
    Buffer.concat([u16(gridId), Buffer.from([colr ? 2 : 1]), u16(1), ...(colr ? [u16(3)] : [])]),
    ...tileIds.map((id, i) =>
      Buffer.concat([
        u16(id),
        Buffer.from([colr ? 3 : 2]),
        u16(essential | (firstHvcC + hvcCIndex[i]!)),
        u16(2),
        ...(colr ? [u16(3)] : []),
      ]),
    ),
  ];
  const ipma = fullBox('ipma', 0, 1, u32(ipmaEntries.length), ...ipmaEntries);
  const infe = (id: number, type: string, hidden: boolean) =>
    fullBox('infe', 2, hidden ? 1 : 0, u16(id, 0), Buffer.from(type, 'latin1'), Buffer.from([0]));
  const iinf = fullBox('iinf', 0, 0, u16(1 + tiles.length), infe(gridId, 'grid', false), ...tileIds.map((id) => infe(id, 'hvc1', true)));
  const iref = fullBox('iref', 0, 0, box('dimg', u16(gridId, tiles.length, ...tileIds)));
  // ImageGrid: version 0, flags 0 (16-bit output size), rows − 1, columns − 1, output width and height.
  const imageGrid = Buffer.concat([Buffer.from([0, 0, grid.rows - 1, grid.columns - 1]), u16(grid.width, grid.height)]);
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from('pict', 'latin1'), u32(0, 0, 0), Buffer.from([0]));
  const pitm = fullBox('pitm', 0, 0, u16(gridId));
  // iloc version 1 (for construction methods): 4-byte offsets and lengths, no base offset, no index.
  const iloc = (mdatData: number) => {
    let offset = mdatData;
    const items = [
      Buffer.concat([u16(gridId, 1, 0, 1), u32(0, imageGrid.length)]), // from idat
      ...tiles.map((t, i) => {
        const entry = Buffer.concat([u16(tileIds[i]!, 0, 0, 1), u32(offset, t.data.length)]);
        offset += t.data.length;
        return entry;
      }),
    ];
    return fullBox('iloc', 1, 0, Buffer.from([0x44, 0x00]), u16(items.length), ...items);
  };
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  const meta = (mdatData: number) =>
    fullBox('meta', 0, 0, hdlr, pitm, iloc(mdatData), iinf, iref, box('iprp', ipco, ipma), box('idat', imageGrid));
  const mdatData = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(mdatData), box('mdat', ...tiles.map((t) => t.data))]);
}

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { seededRandom } from './seeded-random';

export interface DetailedPhotoOptions {
  width: number;
  height: number;
  /** Standard deviation of the luma noise added to every pixel, in 8-bit levels (a phone sensor's grain after its own denoise). */
  noiseSigma: number;
  seed?: number;
  /**
   * 'p3': the pixels are converted to Display P3 and tagged with its ICC profile, as an iPhone stores its
   * photos (heif-enc carries the PNG's profile into the HEIC's colr box).
   */
  colourProfile?: 'p3';
}

/** A source may be enlarged at most this much to fill a cell: beyond it the cell turns smooth, which is what this set avoids. */
const MAX_ENLARGEMENT = 1.15;
const COLUMNS = 2;
const ROWS = 2;

/**
 * Phone-like 12 MP photos for the HEIC bench: real detail, not upscaled smoothness. Each photo is a 2×2
 * mosaic of real photos from `sourceDirs`, each cell a window of a source at its native resolution or
 * shrunk (never enlarged more than 15%), so hair, fabric, foliage and JPEG grain stay as sharp as the
 * camera made them; then seeded Gaussian luma noise, as a phone sensor leaves after its denoise.
 * HEVC's decode time grows with this detail (more coefficients to entropy-decode), which is why upscaled
 * portraits (bench/index-bench.ts's photos) decode in about half the time of a real phone photo.
 *
 * Returns a writer of photo i as a lossless PNG (the encoder's input). Photo i depends on i alone (its
 * own seed), so a half-written folder resumes with the same photos. Sources too small to fill a cell
 * without enlarging them are skipped; at least one must qualify.
 */
export async function detailedPhotos(
  sourceDirs: string[],
  options: DetailedPhotoOptions,
): Promise<(index: number, file: string) => Promise<void>> {
  const cellWidth = Math.floor(options.width / COLUMNS);
  const cellHeight = Math.floor(options.height / ROWS);
  const sources = await largeEnough(sourceDirs, cellWidth, cellHeight);
  if (sources.length === 0) {
    throw new Error(`No photo in ${sourceDirs.join(', ')} is large enough for ${cellWidth}×${cellHeight} cells at native resolution`);
  }
  const noise = gaussianTable(seededRandom(options.seed ?? 11), options.noiseSigma);
  return async (index, file) => {
    const random = seededRandom((options.seed ?? 11) * 100_003 + index);
    // Assembled here rather than by sharp's composite onto a created canvas: a grey canvas is created
    // as one band, and the composite then came out as one grey band too.
    const canvas = Buffer.alloc(options.width * options.height * 3, 128);
    for (let cell = 0; cell < COLUMNS * ROWS; cell++) {
      const source = sources[(index * COLUMNS * ROWS + cell) % sources.length]!;
      const pixels = await windowOf(source, cellWidth, cellHeight, random);
      const left = (cell % COLUMNS) * cellWidth;
      const top = Math.floor(cell / COLUMNS) * cellHeight;
      for (let y = 0; y < cellHeight; y++) {
        pixels.copy(canvas, ((top + y) * options.width + left) * 3, y * cellWidth * 3, (y + 1) * cellWidth * 3);
      }
    }
    addLumaNoise(canvas, noise, random);
    const png = sharp(canvas, { raw: { width: options.width, height: options.height, channels: 3 } });
    await (options.colourProfile ? png.withIccProfile(options.colourProfile) : png).png({ compressionLevel: 1 }).toFile(file);
  };
}

interface Source {
  file: string;
  width: number;
  height: number;
}

async function largeEnough(sourceDirs: string[], cellWidth: number, cellHeight: number): Promise<Source[]> {
  const sources: Source[] = [];
  for (const dir of sourceDirs) {
    for (const name of fs
      .readdirSync(dir)
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()) {
      const file = path.join(dir, name);
      const meta = await sharp(file).metadata();
      const swaps = (meta.orientation ?? 1) >= 5;
      const width = (swaps ? meta.height : meta.width) ?? 0;
      const height = (swaps ? meta.width : meta.height) ?? 0;
      if (Math.max(cellWidth / width, cellHeight / height) <= MAX_ENLARGEMENT) sources.push({ file, width, height });
    }
  }
  return sources;
}

/** A cell-sized window of the source, at a scale between the smallest that fills the cell and native (1). */
async function windowOf(source: Source, cellWidth: number, cellHeight: number, random: () => number): Promise<Buffer> {
  const fill = Math.max(cellWidth / source.width, cellHeight / source.height);
  const scale = fill >= 1 ? fill : fill + (1 - fill) * random();
  const width = Math.max(cellWidth, Math.round(source.width * scale));
  const height = Math.max(cellHeight, Math.round(source.height * scale));
  return sharp(source.file)
    .rotate()
    .resize(width, height, { fit: 'fill' })
    .extract({
      left: Math.floor(random() * (width - cellWidth + 1)),
      top: Math.floor(random() * (height - cellHeight + 1)),
      width: cellWidth,
      height: cellHeight,
    })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) => {
      if (info.channels !== 3) throw new Error(`${source.file}: expected 3 channels, got ${info.channels}`);
      return data;
    });
}

/** 65,536 Gaussian samples (Box–Muller), rounded to whole levels: indexing them is far cheaper than sampling per pixel. */
function gaussianTable(random: () => number, sigma: number): Int8Array {
  const table = new Int8Array(65536);
  for (let i = 0; i < table.length; i++) {
    const value = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) * sigma;
    table[i] = Math.max(-127, Math.min(127, Math.round(value)));
  }
  return table;
}

/** The same offset on R, G and B of a pixel: luma grain (chroma noise is what a phone's denoise removes first). */
function addLumaNoise(rgb: Buffer, table: Int8Array, random: () => number): void {
  let state = (random() * 0xffffffff) >>> 0 || 1;
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    // xorshift32 per pixel: the seeded generator is too slow for 12 million draws.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const offset = table[state & 0xffff]!;
    rgb[i] = clamp(rgb[i]! + offset);
    rgb[i + 1] = clamp(rgb[i + 1]! + offset);
    rgb[i + 2] = clamp(rgb[i + 2]! + offset);
  }
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

import type { RgbImage } from './rgb-image';
import { halfResolutionKernel } from './simd/half-resolution-kernel';

/** A decoded 8-bit 4:2:0 picture as the HEVC decoder leaves it: full-size luma, chroma at half size. */
export interface YCbCr420Planes {
  width: number;
  height: number;
  y: Uint8Array;
  /** ceil(width / 2) × ceil(height / 2). */
  cb: Uint8Array;
  cr: Uint8Array;
}

/**
 * The planes of a YUV4MPEG2 file of one 8-bit 4:2:0 frame, as libheif's `heif-convert` writes one: a header
 * line ("YUV4MPEG2 W4000 H3000 F30:1", optionally a C tag), "FRAME", then the Y, Cb and Cr planes without
 * padding. Views into `file`, not copies. Throws on anything else (another chroma layout, more than 8 bits,
 * a file cut short), so the caller can decode the photo another way.
 */
export function parseY4m(file: Uint8Array): YCbCr420Planes {
  const headerEnd = file.indexOf(0x0a);
  const header = headerEnd > 0 ? Buffer.from(file.buffer, file.byteOffset, headerEnd).toString('latin1') : '';
  if (!header.startsWith('YUV4MPEG2 ')) throw new Error('not a YUV4MPEG2 file');
  const tags = new Map(
    header
      .split(' ')
      .slice(1)
      .map((tag) => [tag[0]!, tag.slice(1)]),
  );
  const width = Number(tags.get('W'));
  const height = Number(tags.get('H'));
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`bad YUV4MPEG2 size in "${header}"`);
  // No C tag means 4:2:0 with JPEG siting; 'mono', '444', '422' or 'p10' variants are not this layout.
  const chroma = tags.get('C') ?? '420jpeg';
  if (!/^420(jpeg|mpeg2|paldv)?$/.test(chroma)) throw new Error(`YUV4MPEG2 chroma ${chroma} is not 8-bit 4:2:0`);
  const frameHeader = headerEnd + 1;
  const frameEnd = file.indexOf(0x0a, frameHeader);
  if (frameEnd < 0 || Buffer.from(file.buffer, file.byteOffset + frameHeader, 5).toString('latin1') !== 'FRAME') {
    throw new Error('no frame in the YUV4MPEG2 file');
  }
  const lumaBytes = width * height;
  const chromaBytes = Math.ceil(width / 2) * Math.ceil(height / 2);
  const start = frameEnd + 1;
  if (file.length < start + lumaBytes + 2 * chromaBytes) throw new Error('the YUV4MPEG2 frame is cut short');
  return {
    width,
    height,
    y: file.subarray(start, start + lumaBytes),
    cb: file.subarray(start + lumaBytes, start + lumaBytes + chromaBytes),
    cr: file.subarray(start + lumaBytes + chromaBytes, start + lumaBytes + 2 * chromaBytes),
  };
}

/**
 * RGB at half the picture's size (floor(width / 2) × floor(height / 2)): each pixel the mean of a 2×2 luma block
 * with the one chroma sample that 4:2:0 stores for that block, so no chroma is interpolated and no luma is
 * thrown away. The planes are read as JFIF YCbCr (ITU-R BT.601, full range): what libheif's own JPEG writer
 * labels them as, so the result matches heif-convert's JPEG of the same file (within a level: the kernel
 * computes in 64ths of a level).
 *
 * WHY by hand, and in WebAssembly SIMD (simd/half-resolution-rgb.as.ts): libvips (sharp) has no YCbCr input,
 * and building one from the planes through sharp cost more than a loop (resizing the luma plane alone took
 * libvips 46 ms at 12 MP here). The same loop in JavaScript took 35-50 ms a 12 MP photo on this 2-core
 * machine, the kernel 9 ms with its copies: a tenth of what Facet's own process spends on a HEIC.
 *
 * With `alsoShrunkBy` (2-16), also that image box-shrunk by it (each pixel the mean of a block, as libjpeg's
 * shrink-on-load makes a JPEG's analysis image): a 12 MP photo's 504 px analysis image for 2 ms, where
 * libvips' lanczos3 took 14-27 ms to shrink the half-size image.
 *
 * The planes go through the kernel's memory a strip of rows at a time, so a 48 MP photo needs no more of it
 * than a 12 MP one, and the rows of a strip are still in cache when the kernel reads them.
 */
export function halfResolutionRgb(planes: YCbCr420Planes, alsoShrunkBy?: number): { half: RgbImage; shrunk?: RgbImage } {
  const { y, cb, cr, width: lumaWidth, height: lumaHeight } = planes;
  const width = Math.max(1, lumaWidth >> 1);
  const height = Math.max(1, lumaHeight >> 1);
  const chromaWidth = Math.ceil(lumaWidth / 2);
  const factor =
    alsoShrunkBy && alsoShrunkBy >= 2 && alsoShrunkBy <= MAX_SHRINK && alsoShrunkBy <= Math.min(width, height) ? alsoShrunkBy : 1;
  const half = Buffer.allocUnsafeSlow(width * height * 3);
  const shrunkWidth = Math.floor(width / factor);
  const shrunk = factor > 1 ? Buffer.allocUnsafeSlow(shrunkWidth * Math.floor(height / factor) * 3) : null;
  // Whole blocks of the shrink in every strip but the last.
  const stripRows = factor * Math.max(1, Math.floor(STRIP_LUMA_BYTES / (2 * lumaWidth) / factor));
  for (let row = 0; row < height; row += stripRows) {
    const rows = Math.min(stripRows, height - row);
    // A one-row picture's strip is that row, which the kernel reads twice.
    const lumaRows = lumaHeight > 1 ? 2 * rows : 1;
    const lumaBytes = lumaRows * lumaWidth;
    const chromaBytes = rows * chromaWidth;
    const halfBytes = rows * width * 3;
    const shrunkBytes = Math.floor(rows / factor) * shrunkWidth * 3;
    const [cbAt, crAt, halfAt, sumsAt, shrunkAt] = offsets([lumaBytes, chromaBytes, chromaBytes, halfBytes, width * 6] as const);
    const kernel = halfResolutionKernel(shrunkAt + shrunkBytes);
    kernel.memory.set(y.subarray(2 * row * lumaWidth, 2 * row * lumaWidth + lumaBytes), 0);
    kernel.memory.set(cb.subarray(row * chromaWidth, row * chromaWidth + chromaBytes), cbAt);
    kernel.memory.set(cr.subarray(row * chromaWidth, row * chromaWidth + chromaBytes), crAt);
    kernel.halfResolutionRgb(0, cbAt, crAt, halfAt, lumaWidth, lumaRows);
    half.set(kernel.memory.subarray(halfAt, halfAt + halfBytes), row * width * 3);
    if (shrunk) {
      // Shrunk while the strip's RGB is still in cache.
      kernel.boxShrunkRgb(halfAt, sumsAt, shrunkAt, width, rows, factor);
      shrunk.set(kernel.memory.subarray(shrunkAt, shrunkAt + shrunkBytes), (row / factor) * shrunkWidth * 3);
    }
  }
  return {
    half: { data: half, width, height },
    ...(shrunk ? { shrunk: { data: shrunk, width: shrunkWidth, height: Math.floor(height / factor) } } : {}),
  };
}

/** The box shrink's largest factor: its column sums are 16-bit. */
const MAX_SHRINK = 16;

/** Regions laid end to end from 0, each 16-byte aligned: where each ends, so where the next starts. */
function offsets<Sizes extends readonly number[]>(sizes: Sizes): { [K in keyof Sizes]: number } {
  let at = 0;
  return sizes.map((size) => (at += Math.ceil(size / 16) * 16)) as { [K in keyof Sizes]: number };
}

/** About a megabyte of luma a strip: 130 rows of a 12 MP photo. */
const STRIP_LUMA_BYTES = 1 << 20;

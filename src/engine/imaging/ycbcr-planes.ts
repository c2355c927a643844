import type { RgbImage } from './rgb-image';

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
 * labels them as, so the result matches heif-convert's JPEG of the same file.
 *
 * WHY hand-written: libvips (sharp) has no YCbCr input, and building one from the planes through sharp cost
 * more than this loop (one pass; resizing the luma plane alone took libvips 46 ms at 12 MP here).
 */
export function halfResolutionRgb(planes: YCbCr420Planes): RgbImage {
  const { y, cb, cr, width: lumaWidth } = planes;
  const width = Math.max(1, planes.width >> 1);
  const height = Math.max(1, planes.height >> 1);
  const chromaWidth = Math.ceil(planes.width / 2);
  // A one-pixel-wide or -high picture has no second luma column or row: read the first twice.
  const nextColumn = planes.width > 1 ? 1 : 0;
  const nextRow = planes.height > 1 ? lumaWidth : 0;
  // Clamped stores round and clip each channel, as a JPEG decoder's range limit does.
  const rgb = new Uint8ClampedArray(width * height * 3);
  let out = 0;
  for (let row = 0; row < height; row++) {
    let top = 2 * row * lumaWidth;
    let bottom = top + nextRow;
    let chroma = row * chromaWidth;
    for (let column = 0; column < width; column++) {
      const luma = (y[top]! + y[top + nextColumn]! + y[bottom]! + y[bottom + nextColumn]!) * 0.25;
      top += 2;
      bottom += 2;
      const blue = cb[chroma]! - 128;
      const red = cr[chroma]! - 128;
      chroma++;
      rgb[out++] = luma + 1.402 * red;
      rgb[out++] = luma - 0.344136 * blue - 0.714136 * red;
      rgb[out++] = luma + 1.772 * blue;
    }
  }
  return { data: new Uint8Array(rgb.buffer), width, height };
}

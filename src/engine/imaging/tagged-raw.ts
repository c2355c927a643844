import sharp from 'sharp';
import { matrixShaperProfile, matrixShaperToSrgb } from './matrix-shaper';
import type { DisplayImage, RgbImage } from './rgb-image';

/**
 * Packed 8-bit RGB (or RGBA) pixels with an ICC profile, as an uncompressed baseline TIFF, so that libvips (through
 * sharp) knows which colour space they are in.
 *
 * WHY hand-written: sharp's raw input cannot carry a profile (its pixels are taken as sRGB), and its
 * `withIccProfile` converts from sRGB to the profile rather than attaching it. An uncompressed TIFF is
 * the cheapest container libvips reads with a profile: a header of a few hundred bytes before the pixels
 * (measured: 8 ms to build the same file with sharp's TIFF writer at 2560 × 1920, which this avoids).
 */
export function rgbWithProfile(image: RgbImage, icc: Uint8Array, channels: 3 | 4 = 3): Buffer {
  const SHORT = 3;
  const LONG = 4;
  const UNDEFINED = 7;
  const entryCount = channels === 4 ? 12 : 11;
  const ifdSize = 2 + entryCount * 12 + 4;
  const bitsOffset = 8 + ifdSize;
  const iccOffset = bitsOffset + 2 * channels;
  const pixelOffset = iccOffset + icc.length + (icc.length % 2); // TIFF offsets are word-aligned
  const pixelBytes = image.width * image.height * channels;
  const entries: [tag: number, type: number, count: number, value: number][] = [
    [256, LONG, 1, image.width], // ImageWidth
    [257, LONG, 1, image.height], // ImageLength
    [258, SHORT, channels, bitsOffset], // BitsPerSample: 8 per channel (stored out of line)
    [259, SHORT, 1, 1], // Compression: none
    [262, SHORT, 1, 2], // PhotometricInterpretation: RGB
    [273, LONG, 1, pixelOffset], // StripOffsets: one strip
    [277, SHORT, 1, channels], // SamplesPerPixel
    [278, LONG, 1, image.height], // RowsPerStrip
    [279, LONG, 1, pixelBytes], // StripByteCounts
    [284, SHORT, 1, 1], // PlanarConfiguration: interleaved
    ...(channels === 4 ? [[338, SHORT, 1, 2] as [number, number, number, number]] : []), // ExtraSamples: unassociated alpha
    [34675, UNDEFINED, icc.length, iccOffset], // ICC profile
  ];
  const file = Buffer.allocUnsafe(pixelOffset + pixelBytes);
  file.write('II', 0, 'latin1');
  file.writeUInt16LE(42, 2);
  file.writeUInt32LE(8, 4);
  file.writeUInt16LE(entryCount, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    file.writeUInt16LE(tag, at);
    file.writeUInt16LE(type, at + 2);
    file.writeUInt32LE(count, at + 4);
    // A SHORT that fits in the entry sits in its first two bytes; everything else is a LONG or an offset.
    if (type === SHORT && count === 1) file.writeUInt32LE(value & 0xffff, at + 8);
    else file.writeUInt32LE(value, at + 8);
  });
  file.writeUInt32LE(0, 10 + entryCount * 12); // no next IFD
  for (let i = 0; i < channels; i++) file.writeUInt16LE(8, bitsOffset + i * 2);
  file.set(icc, iccOffset);
  if (icc.length % 2) file[iccOffset + icc.length] = 0;
  file.set(image.data.subarray(0, pixelBytes), pixelOffset);
  return file;
}

/** The image in sRGB: converted through its profile when it has one (perceptual intent, as sharp does on load). */
export async function toSrgb(image: DisplayImage): Promise<RgbImage> {
  if (!image.icc) return image;
  // An iPhone's Display P3 and most camera profiles are curves and a matrix, converted here for a fraction of
  // libvips' cost (matrix-shaper.ts); anything else goes through libvips and lcms.
  const profile = matrixShaperProfile(image.icc);
  if (profile) return matrixShaperToSrgb(image, profile);
  return toSrgbByLibvips({ ...image, icc: image.icc });
}

/** The image in sRGB through libvips and lcms (perceptual intent, as sharp does on load). */
export async function toSrgbByLibvips(image: DisplayImage & { icc: Buffer }): Promise<RgbImage> {
  const { data, info } = await sharp(rgbWithProfile(image, image.icc))
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** What one APP2 marker can hold after its "ICC_PROFILE\0", sequence number and count (ICC.1, annex B.4). */
const ICC_BYTES_PER_MARKER = 65_535 - 2 - 14;

/**
 * A JPEG with an ICC profile added, in APP2 "ICC_PROFILE" markers after SOI and the JFIF APP0 marker
 * (ICC.1, annex B.4: split into numbered markers when longer than one can hold). The pixels are not touched.
 * WHY: sharp cannot attach a profile to pixels it takes raw without converting them to it.
 */
export function jpegWithIccProfile(jpeg: Buffer, icc: Uint8Array): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  let at = 2;
  if (jpeg[at] === 0xff && jpeg[at + 1] === 0xe0) at += 2 + jpeg.readUInt16BE(at + 2); // JFIF stays first
  const count = Math.max(1, Math.ceil(icc.length / ICC_BYTES_PER_MARKER));
  const markers: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = icc.subarray(i * ICC_BYTES_PER_MARKER, (i + 1) * ICC_BYTES_PER_MARKER);
    const header = Buffer.alloc(4 + 14);
    header.writeUInt16BE(0xffe2, 0);
    header.writeUInt16BE(2 + 14 + chunk.length, 2);
    header.write('ICC_PROFILE\0', 4, 'latin1');
    header[16] = i + 1;
    header[17] = count;
    markers.push(header, Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat([jpeg.subarray(0, at), ...markers, jpeg.subarray(at)]);
}

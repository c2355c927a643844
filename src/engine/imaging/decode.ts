import sharp from 'sharp';
import { FacetError } from '../../common/errors';
import { type HeicDecodeOptions, type HeicDecoded, decodeHeic } from './heic-decoder';
import type { DecodedPhoto, DisplayImage, RgbImage } from './rgb-image';
import { rgbWithProfile, toSrgb } from './tagged-raw';
import { type YCbCr420Planes, halfResolutionRgb } from './ycbcr-planes';

// One libvips thread per image: indexing keeps several photos in flight on the libuv pool, and
// per-image threading on top of that only adds scheduling overhead on a 2-core machine.
sharp.concurrency(1);

/** libvips' own default (16383²): a decompression bomb becomes a failed file, not an OOM crash. */
export const MAX_INPUT_PIXELS = 268_402_689;

/**
 * The analysis image's long side stays within these bounds (detector, CLIP, thumbnail and hashes share
 * it). The detector looks at 640 px and CLIP at 224, so a 12 MP photo decodes at 1/8 (500×375): the
 * entropy decode dominates the whole indexing cost, and 1/8 costs a third less CPU than 1/4. Faces too
 * small there to embed well get a detail decode of their own (see analyzeFaces).
 */
export const ANALYSIS_MIN_LONG_SIDE = 480;
export const ANALYSIS_MAX_LONG_SIDE = 1600;

export interface DecodeOptions {
  /** Decode at this long side instead of the analysis size (detail decodes for small faces). */
  longSide?: number;
  /**
   * A truncated file is reported as failed by default: libvips cannot tell a missing last row from a
   * missing half, and indexing half a photo would hide the damage from the user. Corrupt-but-complete
   * metadata (libpng/libjpeg warnings) is tolerated either way.
   */
  tolerateTruncation?: boolean;
  /** Also return an upright copy at this long side (the viewer's copy of a HEIC or TIFF). */
  displayLongSide?: number;
}

/**
 * Picks the analysis size so that libjpeg's DCT shrink-on-load (1/2, 1/4, 1/8) does all the work:
 * the largest shrink that keeps the long side at or above ANALYSIS_MIN_LONG_SIDE.
 */
export function analysisLongSide(originalLongSide: number): number {
  if (originalLongSide <= ANALYSIS_MAX_LONG_SIDE) return originalLongSide;
  for (const factor of [8, 4, 2]) {
    const side = Math.ceil(originalLongSide / factor);
    if (side >= ANALYSIS_MIN_LONG_SIDE) return Math.min(side, ANALYSIS_MAX_LONG_SIDE);
  }
  return ANALYSIS_MAX_LONG_SIDE;
}

/**
 * The long side of the image a decode returns: `options.longSide`, or else the analysis size of a photo
 * whose long side is `photoLongSide`, and never more than the `available` pixels (the photo's own, or the
 * half of it that the planes give).
 */
function askedLongSide(options: DecodeOptions, photoLongSide: number, available = photoLongSide): number {
  return Math.min(options.longSide ?? analysisLongSide(photoLongSide), available);
}

/**
 * Decodes a photo once: EXIF orientation applied, alpha flattened onto white, converted to 8-bit sRGB
 * (CMYK, 16-bit, palette and grayscale inputs all end up as packed RGB), shrunk on load.
 * Only the first frame of an animated GIF/WebP is read.
 */
export async function decodePhoto(input: Buffer | string, options: DecodeOptions = {}): Promise<DecodedPhoto> {
  const failOn = options.tolerateTruncation ? 'error' : 'truncated';
  let source = () => sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn, pages: 1, page: 0 });
  let meta: sharp.Metadata;
  try {
    meta = await source().metadata();
  } catch (error) {
    throw new FacetError('unsupported', decodeErrorMessage(error, typeof input === 'string' ? undefined : input));
  }
  if (!meta.width || !meta.height) throw new FacetError('unsupported', 'the image has no dimensions');
  if (meta.width * meta.height > MAX_INPUT_PIXELS) {
    throw new FacetError(
      'unsupported',
      `the image is too large to decode safely (${meta.width}×${meta.height} pixels; the limit is ${MAX_INPUT_PIXELS.toLocaleString('en')})`,
    );
  }
  let upright = false;
  /** The decoded source's own metadata (the converter's JPEG for a HEVC HEIC). */
  let decodedMeta: sharp.Metadata = meta;
  if (meta.format === 'heif' && meta.compression === 'hevc') {
    const decoded = await decodeHevc(input, { planes: halfSizeWillDo(meta, options) });
    if (decoded.kind === 'planes') return fromPlanesAtHalfSize(decoded, meta.icc, options);
    if (decoded.kind === 'rgba') {
      const pixels = decoded.pixels;
      // libheif-js gives the pixels in the file's own colour space: with a profile (an iPhone's Display
      // P3), sharp must know it to convert them, as it does for the converters' JPEGs.
      const icc = meta.icc;
      source = icc
        ? () => sharp(rgbWithProfile(pixels, icc, 4))
        : () => sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 4 } });
      meta = { ...meta, width: pixels.width, height: pixels.height, orientation: undefined };
      decodedMeta = { ...meta, icc: undefined, channels: 4, hasAlpha: true };
      upright = true;
    } else {
      source = () => sharp(decoded.data, { limitInputPixels: MAX_INPUT_PIXELS, failOn });
      const jpeg = await source().metadata();
      decodedMeta = jpeg;
      // libheif turned the pixels already (irot/imir); an EXIF orientation copied along must not turn them again.
      meta = { ...meta, width: jpeg.width, height: jpeg.height, orientation: decoded.upright ? undefined : jpeg.orientation };
      upright = decoded.upright;
    }
  }
  const swapsSides = (meta.orientation ?? 1) >= 5;
  const originalWidth = swapsSides ? meta.height : meta.width;
  const originalHeight = swapsSides ? meta.width : meta.height;
  const longSide = askedLongSide(options, Math.max(originalWidth, originalHeight));
  const uprightRgb = async (side: number, resize: sharp.ResizeOptions = {}): Promise<RgbImage> =>
    rgbOf(
      (upright ? source() : source().rotate())
        .resize(side, side, { fit: 'inside', withoutEnlargement: true, ...resize })
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb'),
    );
  // The same, left in the source's own colour space: keepIccProfile stops sharp converting through the
  // profile on load (before the resize, on every pixel of the original).
  const uprightInOwnProfile = async (side: number, resize: sharp.ResizeOptions = {}): Promise<RgbImage> =>
    rgbOf(
      (upright ? source() : source().rotate()).resize(side, side, { fit: 'inside', withoutEnlargement: true, ...resize }).keepIccProfile(),
    );
  try {
    if (options.displayLongSide && options.displayLongSide >= longSide) {
      // The viewer's copy (HEIC, TIFF) needs the whole original decoded anyway: the analysis image is
      // shrunk from it rather than from a second decode (7.6 ms against 15 ms from a 12 MP JPEG, measured).
      // A linear kernel: 15 ms less than lanczos3 at 12 MP → 2560 px, and the viewer scales it again.
      // A tagged photo (an iPhone's are Display P3): converting the whole original to sRGB on load cost
      // ~100 ms of a 12 MP photo's ~170 ms here. The display copy keeps the photo's own colours and
      // profile (the viewer colour-manages it, wide gamut included); only the small analysis image is
      // converted, after the shrink.
      const profile = convertibleProfile(decodedMeta);
      const display: DisplayImage = profile
        ? { ...(await uprightInOwnProfile(options.displayLongSide, { kernel: 'linear' })), icc: profile }
        : await uprightRgb(options.displayLongSide, { kernel: 'linear' });
      return { ...(await withAnalysisImage(display, longSide, originalWidth, originalHeight)), display };
    }
    const image = await uprightRgb(longSide);
    return { image, originalWidth, originalHeight, scale: image.width / originalWidth };
  } catch (error) {
    throw new FacetError('unsupported', decodeErrorMessage(error, typeof input === 'string' ? undefined : input));
  }
}

/**
 * The photo from its decoded planes, at half size at most (halfSizeWillDo): the display copy is that half
 * (or less), in the photo's own colour space when it has a profile, as the JPEG route's.
 */
async function fromPlanesAtHalfSize(
  { planes, release }: { planes: YCbCr420Planes; release: () => void },
  icc: Buffer | undefined,
  options: DecodeOptions,
): Promise<DecodedPhoto> {
  try {
    const [halfWidth, halfHeight] = [Math.max(1, planes.width >> 1), Math.max(1, planes.height >> 1)];
    const longSide = askedLongSide(options, Math.max(planes.width, planes.height), Math.max(halfWidth, halfHeight));
    let made: { half: RgbImage; shrunk?: RgbImage };
    try {
      // The analysis image is box-shrunk from the half in the same pass, as a JPEG's comes from its 8 × 8
      // blocks, when a whole factor gives it (4 for a 12 MP photo's 504 px). A detail decode
      // (options.longSide, for small faces) keeps lanczos3.
      made = halfResolutionRgb(planes, options.longSide === undefined ? exactBoxFactor(halfWidth, halfHeight, longSide) : undefined);
    } finally {
      release(); // the planes' buffer goes to the next decode (heic-decoder.ts)
    }
    const withProfile = (image: RgbImage): DisplayImage => ({ ...image, ...(icc ? { icc } : {}) });
    const half = withProfile(made.half);
    const display = options.displayLongSide ? await shrunkTo(half, options.displayLongSide, 'linear') : undefined;
    const analysisFrom = made.shrunk ? withProfile(made.shrunk) : (display ?? half);
    return { ...(await withAnalysisImage(analysisFrom, longSide, planes.width, planes.height)), ...(display ? { display } : {}) };
  } catch (error) {
    throw new FacetError('unsupported', decodeErrorMessage(error));
  }
}

/**
 * A detail image (faces too small in the analysis image) from the display copy's decode, when the photo
 * has one (HEIC, TIFF): the detail decode wants at most 2,400 px, within the display copy's 2,560, and a
 * second decode of a HEIC would run the whole HEVC decoder again (0.35 s natively for 12 MP here, against
 * a few ms to shrink the display pixels). Null when there is no display copy, or it is too small.
 */
export async function detailFromDisplay(decoded: DecodedPhoto, longSide: number): Promise<DecodedPhoto | null> {
  const display = decoded.display;
  if (!display || Math.max(display.width, display.height) < Math.min(longSide, Math.max(decoded.originalWidth, decoded.originalHeight))) {
    return null;
  }
  return withAnalysisImage(display, longSide, decoded.originalWidth, decoded.originalHeight);
}

/**
 * The ICC profile to keep the display copy in, when the decoded source is plain 8-bit RGB with one; null
 * otherwise (no profile, or alpha, grey, CMYK or 16-bit, which keep converting on load as before).
 */
function convertibleProfile(meta: sharp.Metadata): Buffer | null {
  const plainRgb = meta.channels === 3 && !meta.hasAlpha && meta.space === 'srgb' && (meta.depth === undefined || meta.depth === 'uchar');
  return plainRgb && meta.icc ? meta.icc : null;
}

/**
 * The analysis image (sRGB, inside longSide × longSide) shrunk from a larger decode of the photo, in its own
 * colour space when it carries a profile.
 */
async function withAnalysisImage(
  from: DisplayImage,
  longSide: number,
  originalWidth: number,
  originalHeight: number,
): Promise<DecodedPhoto> {
  const image = await toSrgb({ ...(await shrunkTo(from, longSide)), ...(from.icc ? { icc: from.icc } : {}) });
  return { image, originalWidth, originalHeight, scale: image.width / originalWidth };
}

/**
 * Large 8-bit HEVC HEICs are decoded to their planes and used at half size (halfResolutionRgb) when nothing
 * asked for needs more: a 12 MP photo's display copy is then 2016 px rather than 2560, for a tenth to a fifth
 * less CPU per photo in all (README, "Large HEICs"). From 3,200 px on, half the photo holds the largest analysis
 * image (1,600 px) and every detail decode (analyzeFaces snaps those to a half, quarter or eighth of the
 * photo, at most 2,400 px). Smaller photos, and deeper ones (10-bit), go through the converter's JPEG.
 */
export const HALF_SIZE_MIN_LONG_SIDE = 3200;

function halfSizeWillDo(meta: sharp.Metadata, options: DecodeOptions): boolean {
  const longSide = Math.max(meta.width ?? 0, meta.height ?? 0);
  return meta.bitsPerSample === 8 && longSide >= HALF_SIZE_MIN_LONG_SIDE && (options.longSide ?? 0) <= Math.floor(longSide / 2);
}

/**
 * The whole factor (2 or more) that box-shrinks a width × height image to the very size libvips' fit-inside
 * resize gives it at `longSide` (each side rounded to the nearest pixel); undefined when none does (a side
 * the factor does not divide), so that every route makes a photo's analysis image at the same size.
 */
export function exactBoxFactor(width: number, height: number, longSide: number): number | undefined {
  const factor = Math.round(Math.max(width, height) / longSide);
  const scale = longSide / Math.max(width, height);
  const exact = Math.floor(width / factor) === Math.round(width * scale) && Math.floor(height / factor) === Math.round(height * scale);
  return factor >= 2 && exact ? factor : undefined;
}

/** Decoded pixels fitted inside longSide × longSide (the profile kept); the same image when they already fit. */
async function shrunkTo<T extends DisplayImage>(image: T, longSide: number, kernel?: 'linear'): Promise<T> {
  if (Math.max(image.width, image.height) <= longSide) return image;
  const raw = { width: image.width, height: image.height, channels: 3 } as const;
  const shrunk = await rgbOf(sharp(image.data, { raw }).resize(longSide, longSide, { fit: 'inside', ...(kernel ? { kernel } : {}) }));
  return { ...image, ...shrunk };
}

async function rgbOf(pipeline: sharp.Sharp): Promise<RgbImage> {
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** HEVC-coded HEIC, which sharp's libheif cannot decode (see heic-decoder.ts). */
async function decodeHevc(input: Buffer | string, options: HeicDecodeOptions): Promise<HeicDecoded> {
  try {
    return await decodeHeic(input, options);
  } catch (error) {
    throw new FacetError('unsupported', decodeErrorMessage(error));
  }
}

/**
 * libvips keeps one error buffer per process, so with several photos decoding at once a failure can
 * surface as "Unknown error". The bytes still say whether the file was cut short: a JPEG ends with an
 * EOI marker (FF D9, possibly followed by an editor's trailing bytes), a PNG with an IEND chunk.
 */
export function looksTruncated(bytes: Uint8Array): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 65536));
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return false;
    return true;
  }
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return !Buffer.from(tail).includes('IEND');
  return false;
}

export const HEIF_CODEC_UNSUPPORTED = 'this HEIF compression is not supported by the image decoder';

/** Turns libvips' messages into a reason a person can act on. */
export function decodeErrorMessage(error: unknown, bytes?: Uint8Array): string {
  const message = (error as Error)?.message ?? String(error);
  if (bytes && looksTruncated(bytes)) return 'the file is truncated or damaged';
  if (/pixel limit/i.test(message)) return 'the image is too large to decode safely (exceeds the pixel limit)';
  if (/unsupported image format/i.test(message)) return 'the content is not an image format Facet can decode';
  if (/premature end|truncated|unexpected end|not enough data/i.test(message)) return 'the file is truncated or damaged';
  if (/heif|heic/i.test(message) && /compression|codec|plugin|decoder/i.test(message)) return HEIF_CODEC_UNSUPPORTED;
  return `could not decode: ${message.split('\n')[0]}`;
}

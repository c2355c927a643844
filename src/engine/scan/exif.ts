import exifr from 'exifr';
import sharp from 'sharp';
import { sniffFormat } from './formats';

export interface PhotoMetadata {
  takenAt: string | null;
  orientation: number | null;
  gps: { lat: number; lon: number } | null;
  cameraMake: string | null;
  cameraModel: string | null;
}

const EMPTY: PhotoMetadata = { takenAt: null, orientation: null, gps: null, cameraMake: null, cameraModel: null };

/**
 * Capture time, orientation, GPS and camera from EXIF (exifr, which also reads HEIC/AVIF/PNG/TIFF).
 * Missing or broken EXIF is normal, never an error: the photo simply has no such data.
 */
export async function readPhotoMetadata(file: Buffer): Promise<PhotoMetadata> {
  let tags = await parseTags(file);
  // exifr misses the Exif item of some HEIF layouts (libheif's own encoder, for one); libheif, behind
  // sharp's metadata(), finds it, and exifr reads the raw EXIF block it returns.
  if (!hasTags(tags) && sniffFormat(file) === 'HEIC') {
    const exif = await sharp(file)
      .metadata()
      .then(
        (meta) => meta.exif,
        () => undefined,
      );
    if (exif) tags = await parseTags(exif);
  }
  if (!hasTags(tags)) return EMPTY;
  const lat = typeof tags.latitude === 'number' ? tags.latitude : null;
  const lon = typeof tags.longitude === 'number' ? tags.longitude : null;
  return {
    takenAt: exifDateToIso(tags.DateTimeOriginal ?? tags.CreateDate ?? tags.DateTimeDigitized, tags.OffsetTimeOriginal),
    orientation: typeof tags.Orientation === 'number' ? tags.Orientation : null,
    gps: lat !== null && lon !== null && Number.isFinite(lat) && Number.isFinite(lon) && !(lat === 0 && lon === 0) ? { lat, lon } : null,
    cameraMake: cleanText(tags.Make),
    cameraModel: cleanText(tags.Model),
  };
}

/** exifr answers `{ errors: [...] }` rather than nothing when it could not read the EXIF it found. */
function hasTags(tags: Record<string, unknown> | undefined): tags is Record<string, unknown> {
  return tags !== undefined && Object.keys(tags).some((key) => key !== 'errors');
}

async function parseTags(input: Buffer): Promise<Record<string, unknown> | undefined> {
  try {
    return await exifr.parse(input, {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      pick: [
        'DateTimeOriginal',
        'CreateDate',
        'DateTimeDigitized',
        'ModifyDate',
        'OffsetTimeOriginal',
        'Orientation',
        'Make',
        'Model',
        'latitude',
        'longitude',
        'GPSLatitude',
        'GPSLongitude',
        'GPSLatitudeRef',
        'GPSLongitudeRef',
      ],
      translateValues: false,
      reviveValues: false,
    });
  } catch {
    return undefined;
  }
}

function cleanText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\0/g, '').trim();
  return text ? text.slice(0, 200) : null;
}

/**
 * EXIF dates are "YYYY:MM:DD HH:MM:SS" local time with an optional separate offset. Without an offset
 * we keep local wall-clock time (no "Z"), which is what a person means by "taken on that day".
 */
export function exifDateToIso(value: unknown, offset: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  if (y === '0000' || mo === '00' || d === '00') return null;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  if (Number.isNaN(Date.parse(iso))) return null;
  return typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? iso + offset.trim() : iso;
}

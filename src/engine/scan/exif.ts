import exifr from 'exifr';

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
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(file, {
      tiff: true, exif: true, gps: true, ifd1: false, xmp: false, icc: false, iptc: false, jfif: false, ihdr: false,
      pick: ['DateTimeOriginal', 'CreateDate', 'DateTimeDigitized', 'ModifyDate', 'OffsetTimeOriginal', 'Orientation', 'Make', 'Model', 'latitude', 'longitude', 'GPSLatitude', 'GPSLongitude', 'GPSLatitudeRef', 'GPSLongitudeRef'],
      translateValues: false,
      reviveValues: false,
    });
  } catch {
    return EMPTY;
  }
  if (!tags) return EMPTY;
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

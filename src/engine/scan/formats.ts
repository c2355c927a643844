/**
 * What Facet can decode (through sharp/libvips), what it knows by name but cannot decode (reported as
 * "unsupported" so the user sees why a file is not in the library), and everything else (ignored:
 * documents, sidecars, ...).
 */
export const DECODABLE_EXTENSIONS: Record<string, string> = {
  '.jpg': 'JPEG',
  '.jpeg': 'JPEG',
  '.jpe': 'JPEG',
  '.jfif': 'JPEG',
  '.png': 'PNG',
  '.webp': 'WebP',
  '.tif': 'TIFF',
  '.tiff': 'TIFF',
  '.gif': 'GIF',
  '.avif': 'AVIF',
  '.heic': 'HEIC',
  '.heif': 'HEIF',
};

export const KNOWN_UNSUPPORTED_EXTENSIONS: Record<string, string> = {
  '.bmp': 'BMP',
  '.ico': 'ICO',
  '.psd': 'Photoshop PSD',
  '.jxl': 'JPEG XL',
  '.svg': 'SVG',
  '.cr2': 'Canon RAW (CR2)',
  '.cr3': 'Canon RAW (CR3)',
  '.nef': 'Nikon RAW (NEF)',
  '.arw': 'Sony RAW (ARW)',
  '.dng': 'DNG RAW',
  '.orf': 'Olympus RAW (ORF)',
  '.rw2': 'Panasonic RAW (RW2)',
  '.raf': 'Fujifilm RAW (RAF)',
  '.mp4': 'MP4 video',
  '.mov': 'QuickTime video',
  '.m4v': 'M4V video',
  '.avi': 'AVI video',
  '.mkv': 'Matroska video',
  '.3gp': '3GP video',
  '.webm': 'WebM video',
};

export type FileKind = { kind: 'image'; format: string } | { kind: 'unsupported'; format: string } | { kind: 'ignored' };

export function classifyExtension(fileName: string): FileKind {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return { kind: 'ignored' };
  const ext = fileName.slice(dot).toLowerCase();
  const decodable = DECODABLE_EXTENSIONS[ext];
  if (decodable) return { kind: 'image', format: decodable };
  const known = KNOWN_UNSUPPORTED_EXTENSIONS[ext];
  if (known) return { kind: 'unsupported', format: known };
  return { kind: 'ignored' };
}

/**
 * Names the real format of a file from its first bytes, so "a text file named .png" gets the reason
 * "the content is not an image" instead of a decoder's cryptic message.
 */
export function sniffFormat(head: Uint8Array): string | null {
  const at = (offset: number, bytes: number[]) => bytes.every((b, i) => head[offset + i] === b);
  const ascii = (offset: number, text: string) =>
    at(
      offset,
      [...text].map((c) => c.charCodeAt(0)),
    );
  if (at(0, [0xff, 0xd8, 0xff])) return 'JPEG';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'PNG';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'GIF';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'WebP';
  if (at(0, [0x49, 0x49, 0x2a, 0x00]) || at(0, [0x4d, 0x4d, 0x00, 0x2a])) return 'TIFF';
  if (ascii(4, 'ftyp')) {
    const brand = String.fromCharCode(...head.slice(8, 12));
    if (brand.startsWith('avi')) return 'AVIF';
    if (/^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand)) return 'HEIC';
    return `ISO media (${brand.trim() || 'unknown brand'})`;
  }
  if (ascii(0, 'BM')) return 'BMP';
  if (ascii(0, '8BPS')) return 'Photoshop PSD';
  return null;
}

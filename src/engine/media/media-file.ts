import fs from 'node:fs';
import path from 'node:path';
import { FacetError } from '../../common/errors';
import { faceCropRelativePath } from '../imaging/face-crop';
import { displayCopyRelativePath, needsDisplayCopy } from '../imaging/thumbnail';
import { faceCropSize } from '../library/face-store';
import type { Library } from '../library/library';
import { type PhotoFileRow, PhotoStore } from '../library/photo-store';

/**
 * The app shows photos through `facet://thumb/<photoId>` and `facet://photo/<photoId>`, and faces
 * through `facet://face/<faceId>` (the face's own crop, made at indexing). The renderer only ever
 * names a library id; this module is the one place that turns such a URL into a file on disk, so the
 * Electron protocol handler and the e2e test's route share the exact same checks.
 */
export type MediaKind = 'thumb' | 'photo' | 'face';
export interface MediaRequest {
  kind: MediaKind;
  id: number;
}
export interface MediaFile {
  path: string;
  mimeType: string;
  size: number;
}

const MEDIA_URL = /^facet:\/\/(thumb|photo|face)\/([1-9][0-9]{0,14})\/?(?:\?[A-Za-z0-9=&._-]*)?$/;

/**
 * Accepts exactly `facet://<kind>/<positive integer>` (an optional cache-busting query aside). Anything
 * else — `..`, `%2e%2e`, `%2f`, backslashes, absolute paths, other hosts — is refused before any
 * lookup, rather than normalised, so no decoding trick can reach the file system.
 */
export function parseMediaUrl(url: string): MediaRequest {
  const match = MEDIA_URL.exec(url);
  if (!match)
    throw new FacetError(
      'invalid_argument',
      `Not a Facet media URL: ${JSON.stringify(url.slice(0, 120))}. Expected facet://thumb/<photo id>, facet://photo/<photo id> or facet://face/<face id>.`,
    );
  return { kind: match[1] as MediaKind, id: Number(match[2]) };
}

const MIME_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
};

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file behind a media request: a thumbnail must be a plain file name inside the library's
 * `thumbs/` folder; a photo is the original the library indexed, and only while it is present. An
 * original the browser cannot show is served as the JPEG display copy made while indexing (or, for a
 * photo indexed before display copies existed, its thumbnail), so the viewer never shows a broken image.
 */
export function resolveMediaFile(library: Library, request: MediaRequest): MediaFile {
  if (request.kind === 'face') return faceCropFile(library, request);
  const row = photoRow(library, request.id);
  if (request.kind === 'thumb') return regularFile(thumbnailPath(library, row, request.id), request);
  const original = regularFile(originalPath(row, request.id), request);
  // Decided by the format indexing sniffed from the bytes (as it decided to write the copy), not by the name.
  if (!row.format || !needsDisplayCopy(row.format)) return original;
  const displayCopy = path.join(library.paths.thumbnails, displayCopyRelativePath(request.id));
  return fs.existsSync(displayCopy) ? regularFile(displayCopy, request) : regularFile(thumbnailPath(library, row, request.id), request);
}

/** The original file of a photo (to show in its folder, open or trash), whatever its format. */
export function resolveOriginalFile(library: Library, id: number): MediaFile {
  return regularFile(originalPath(photoRow(library, id), id), { kind: 'photo', id });
}

function photoRow(library: Library, id: number): PhotoFileRow {
  const row = new PhotoStore(library.db).fileRow(id);
  if (!row) throw new FacetError('not_found', `No photo with id ${id}.`);
  return row;
}

/**
 * A face's crop, only once its row says it was written (the file name comes from the id, never from
 * the database). A face without one is not_found: the app then cuts the face from the thumbnail.
 */
function faceCropFile(library: Library, request: MediaRequest): MediaFile {
  if (faceCropSize(library.db, request.id) === null) throw new FacetError('not_found', `Face ${request.id} has no crop yet.`);
  return regularFile(path.join(library.paths.thumbnails, faceCropRelativePath(request.id)), request);
}

function regularFile(file: string, request: MediaRequest): MediaFile {
  const what = request.kind === 'face' ? `face ${request.id}` : `photo ${request.id}`;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new FacetError(request.kind === 'photo' ? 'offline' : 'not_found', `The file for ${what} is not available.`);
  }
  if (!stat.isFile()) throw new FacetError('not_found', `The file for ${what} is not a regular file.`);
  return { path: file, mimeType: mimeTypeOf(file), size: stat.size };
}

const THUMB_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

function thumbnailPath(library: Library, row: PhotoFileRow, id: number): string {
  const name = row.thumbnail;
  // A recorded name is trusted only if it stays inside thumbs/: the database could have been edited.
  if (!name || !THUMB_NAME.test(name) || name.split('/').includes('..'))
    throw new FacetError('not_found', `Photo ${id} has no thumbnail yet.`);
  const dir = path.resolve(library.paths.thumbnails);
  const file = path.resolve(dir, name);
  if (!file.startsWith(dir + path.sep)) throw new FacetError('not_found', `Photo ${id} has no thumbnail yet.`);
  return file;
}

function originalPath(row: PhotoFileRow, id: number): string {
  if (row.status === 'missing' || row.status === 'offline')
    throw new FacetError('offline', `The original of photo ${id} is ${row.status}.`);
  if (!path.isAbsolute(row.path)) throw new FacetError('not_found', `Photo ${id} has no usable path.`);
  return row.path;
}

/** `parseMediaUrl` then `resolveMediaFile`: what a protocol handler needs in one call. */
export function resolveMediaUrl(library: Library, url: string): MediaFile {
  return resolveMediaFile(library, parseMediaUrl(url));
}

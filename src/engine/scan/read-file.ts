import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { FacetError } from '../../common/errors';
import { describeFsError } from './walk';

/** Files beyond this are refused rather than read into memory (no camera writes a 1 GiB still). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

export interface ReadPhotoFile {
  bytes: Buffer;
  size: number;
  mtimeMs: number;
  contentHash: string;
}

/**
 * Reads a file once (the bytes then feed the hash, EXIF and the decoder) and checks that it did not
 * change while being read: a file still being copied in is retried once, then reported.
 */
export async function readPhotoFile(path: string): Promise<ReadPhotoFile> {
  for (let attempt = 0; attempt < 2; attempt++) {
    let before;
    let bytes: Buffer;
    let after;
    try {
      before = await fs.stat(path);
      if (!before.isFile()) throw new FacetError('unsupported', 'not a regular file');
      if (before.size > MAX_FILE_BYTES) throw new FacetError('unsupported', `the file is too large (${before.size} bytes)`);
      bytes = await fs.readFile(path);
      after = await fs.stat(path);
    } catch (error) {
      if (error instanceof FacetError) throw error;
      throw new FacetError('not_found', describeFsError(error));
    }
    if (before.size === after.size && before.mtimeMs === after.mtimeMs && bytes.length === after.size) {
      if (bytes.length === 0) throw new FacetError('unsupported', 'the file is empty');
      return { bytes, size: after.size, mtimeMs: Math.floor(after.mtimeMs), contentHash: hashContent(bytes) };
    }
  }
  throw new FacetError('conflict', 'the file changed while being read (still being copied?); it will be retried on the next scan');
}

/** SHA-256 of the whole file: the identity that survives moves and renames, and finds exact copies. */
export function hashContent(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

import type { FileDigest } from './file-digest';

/** What a host's ETag promises about the content, when it is a content hash at all. */
export type ExpectedDigest = { kind: 'sha256'; hex: string } | { kind: 'gitBlobSha1'; hex: string };

/**
 * Hugging Face serves a Git LFS file's sha256 as its ETag (on the redirecting response as
 * `X-Linked-Etag`) and a small file's git blob sha1 as its ETag. Other ETags (opaque ids) say
 * nothing about the content and are ignored.
 */
export function digestFromEtag(headerValue: string | null | undefined): ExpectedDigest | null {
  if (!headerValue) return null;
  const value = headerValue.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
  if (/^[0-9a-f]{64}$/.test(value)) return { kind: 'sha256', hex: value };
  if (/^[0-9a-f]{40}$/.test(value)) return { kind: 'gitBlobSha1', hex: value };
  return null;
}

export function digestMatches(expected: ExpectedDigest, actual: FileDigest): boolean {
  return expected.kind === 'sha256' ? actual.sha256 === expected.hex : actual.gitBlobSha1 === expected.hex;
}

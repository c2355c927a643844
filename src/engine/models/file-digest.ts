import crypto from 'node:crypto';
import fs from 'node:fs';

export interface FileDigest {
  sha256: string;
  /** Git's blob id: sha1 of "blob <size>\0" + content, which Hugging Face serves as the ETag of non-LFS files. */
  gitBlobSha1: string;
  size: number;
}

/** Both digests in one read, so a downloaded file is read once whatever the host's ETag kind is. */
export async function digestFile(file: string): Promise<FileDigest> {
  const { size } = await fs.promises.stat(file);
  const sha256 = crypto.createHash('sha256');
  const gitBlobSha1 = crypto.createHash('sha1').update(`blob ${size}\0`);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    sha256.update(chunk as Buffer);
    gitBlobSha1.update(chunk as Buffer);
  }
  return { sha256: sha256.digest('hex'), gitBlobSha1: gitBlobSha1.digest('hex'), size };
}

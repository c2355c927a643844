/**
 * The one encoding of vectors in the library: a Float32Array is stored as its little-endian bytes
 * (what sqlite-vec's vec0 expects), and rowids are always BigInt.
 */

/** sqlite-vec rejects Number rowids when onnxruntime is loaded in the same process (sqlite-vec#270). */
export function vectorRowid(id: number | bigint): bigint {
  return BigInt(id);
}

export function vectorBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** A copy: better-sqlite3's buffers may be unaligned for Float32Array and are reused by some readers. */
export function blobToVector(blob: Buffer): Float32Array {
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

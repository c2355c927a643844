import type { DuplicateGroup, DuplicateMember } from '../../common/api/search';
import type { Library } from '../library/library';
import { dot } from '../ml/clip/l2-normalize';
import { findImageVectorTable, readImageVector } from '../library/image-vectors';
import { type ParsedHash, parsePerceptualHash, perceptualDistance } from '../imaging/perceptual-hash';

/**
 * Measured on ../shared/photos/captions (1,000 unrelated photos): the closest two originals differ
 * in 10 bits, while JPEG/WebP re-encodes, 50% resizes and centre crops to 90%/80% stay within 6.
 */
export const NEAR_HASH_DISTANCE = 6;
/**
 * With a CLIP model, a looser hash match (off-centre 90% crops reached 24 bits on the same 1,000
 * photos; bursts move the subject) counts when the image embeddings agree as well: CLIP puts
 * re-framings of one scene above 0.95, unrelated photos well below.
 */
export const EMBEDDING_HASH_DISTANCE = 24;
export const EMBEDDING_MIN_COSINE = 0.95;

export interface DuplicateOptions {
  /** The CLIP model whose vectors confirm looser matches; null or absent: hashes only. */
  modelId?: string | null;
}

interface Candidate {
  id: number;
  path: string;
  width: number | null;
  height: number | null;
  size: number;
  sharpness: number | null;
  contentHash: string | null;
  hashes: ParsedHash | null;
}

/**
 * Groups of exact copies (same content hash) and near-duplicates (perceptual hash, confirmed by CLIP
 * embeddings when a model has embedded the library), each with a suggested keeper. Nothing is deleted.
 * Pairs are compared all-against-all: fine for tens of thousands of photos, a known limit beyond.
 */
export function findDuplicates(library: Library, options: DuplicateOptions = {}): DuplicateGroup[] {
  const db = library.db;
  const photos = (
    db
      .prepare(
        `SELECT id, path, width, height, size, sharpness, content_hash AS contentHash, perceptual_hash AS perceptualHash
         FROM photos WHERE status = 'indexed' ORDER BY id`,
      )
      .all() as (Omit<Candidate, 'hashes'> & { perceptualHash: string | null })[]
  ).map(({ perceptualHash: hash, ...p }) => ({ ...p, hashes: hash ? parsePerceptualHash(hash) : null }));
  const table = options.modelId ? findImageVectorTable(db, options.modelId) : undefined;
  const vectors = new Map<number, Float32Array>();
  const vectorOf = (id: number) => {
    if (!table) return undefined;
    if (!vectors.has(id)) {
      const v = readImageVector(db, table, id);
      if (v) vectors.set(id, v);
    }
    return vectors.get(id);
  };

  const groups = new UnionFind(photos.length);
  const byContent = new Map<string, number>();
  photos.forEach((p, i) => {
    if (!p.contentHash) return;
    const first = byContent.get(p.contentHash);
    if (first === undefined) byContent.set(p.contentHash, i);
    else groups.union(first, i);
  });
  for (let i = 0; i < photos.length; i++) {
    const a = photos[i]!.hashes;
    if (!a) continue;
    for (let j = i + 1; j < photos.length; j++) {
      const b = photos[j]!.hashes;
      if (!b) continue;
      const distance = perceptualDistance(a, b);
      if (distance <= NEAR_HASH_DISTANCE) groups.union(i, j);
      else if (table && distance <= EMBEDDING_HASH_DISTANCE && embeddingsAgree(vectorOf(photos[i]!.id), vectorOf(photos[j]!.id))) groups.union(i, j);
    }
  }
  return groups
    .sets()
    .filter((members) => members.length > 1)
    .map((members) => describeGroup(members.map((i) => photos[i]!)))
    .sort((a, b) => b.photos.length - a.photos.length || a.keeper - b.keeper);
}

function embeddingsAgree(a: Float32Array | undefined, b: Float32Array | undefined): boolean {
  return !!a && !!b && dot(a, b) >= EMBEDDING_MIN_COSINE;
}

function describeGroup(members: Candidate[]): DuplicateGroup {
  const keeper = [...members].sort(keeperOrder)[0]!;
  const exact = members.every((m) => m.contentHash && m.contentHash === keeper.contentHash);
  const photos: DuplicateMember[] = members.map((m) => ({
    photoId: m.id,
    photo: m.path,
    width: m.width,
    height: m.height,
    size: m.size,
    sharpness: m.sharpness,
    match: m === keeper ? 'keeper' : m.contentHash && m.contentHash === keeper.contentHash ? 'exact' : m.hashes && keeper.hashes && perceptualDistance(m.hashes, keeper.hashes) <= NEAR_HASH_DISTANCE ? 'perceptual' : 'embedding',
  }));
  return { kind: exact ? 'exact' : 'near', keeper: keeper.id, photos };
}

/**
 * Largest (pixels) first; among equal sizes the bigger file, then the sharper, then the oldest id.
 * The file size comes before the stored sharpness because a Laplacian-style sharpness rises with JPEG
 * block artefacts (a heavily re-encoded copy scores "sharper" than its original), while more bytes for
 * the same pixels means less compression, and in a burst, more detail (the sharper frame).
 */
function keeperOrder(a: Candidate, b: Candidate): number {
  const pixels = (p: Candidate) => (p.width ?? 0) * (p.height ?? 0);
  return pixels(b) - pixels(a) || b.size - a.size || (b.sharpness ?? 0) - (a.sharpness ?? 0) || a.id - b.id;
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  sets(): number[][] {
    const byRoot = new Map<number, number[]>();
    for (let i = 0; i < this.parent.length; i++) {
      const root = this.find(i);
      byRoot.set(root, [...(byRoot.get(root) ?? []), i]);
    }
    return [...byRoot.values()];
  }
}

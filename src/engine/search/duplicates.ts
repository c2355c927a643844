import type { DuplicateGroup, DuplicateMatch, DuplicateMember } from '../../common/api/search';
import type { Library } from '../library/library';
import { HashIndex } from './hash-index';
import { findImageVectorTable } from '../library/image-vectors';
import { type PhotoFingerprint, indexedPhotoFingerprints } from '../library/photo-store';
import { type SimilaritySpread, measureSpread } from './model-spread';
import { type ParsedHash, parsePerceptualHash, perceptualMatch } from '../imaging/perceptual-hash';
import { type ImageVectorIndex, imageVectorIndex } from './vector-index';

/**
 * Measured on ../shared/photos/captions (1,000 unrelated photos): the closest two originals differ
 * in 10 bits, while JPEG/WebP re-encodes, 50% resizes and centre crops to 90%/80% stay within 6.
 * Within this distance the hash alone decides.
 */
export const NEAR_HASH_DISTANCE = 6;
/**
 * Beyond NEAR_HASH_DISTANCE and up to this, a pair is only a candidate: it counts when the image
 * embeddings confirm it (bursts, slightly off-centre crops: a 95% corner crop of ../shared/photos/
 * objects lands 2–12 bits away). Up to 11 the multi-index lookup flips at most one bit a block
 * (⌊11/6⌋ = 1); 12 would flip two and cost several times more.
 */
export const EMBEDDING_HASH_DISTANCE = 11;

export interface DuplicateOptions {
  /** The CLIP model whose vectors confirm looser matches; null or absent: hashes only. */
  modelId?: string | null;
}

/** A photo's fingerprint with its perceptual hash parsed once, for every comparison it takes part in. */
type Candidate = Omit<PhotoFingerprint, 'perceptualHash'> & { hashes: ParsedHash | null };

interface Match {
  other: number;
  match: Exclude<DuplicateMatch, 'keeper'>;
  hashDistance: number | null;
  similarity: number | null;
}

/**
 * Groups of exact copies (same content hash) and near-duplicates (perceptual hash, optionally
 * confirmed by CLIP embeddings), each around a suggested keeper. Nothing is deleted.
 *
 * - Candidates come from a multi-index hash lookup (hash-index.ts), never from all pairs.
 * - Groups are keeper-centric, without chaining: photos are taken best first (keeperOrder); each one
 *   not yet in a group becomes a keeper, and its group is the photos that match IT directly. A~B and
 *   B~C never puts C with A unless C matches A itself.
 * - Embeddings only confirm a hash candidate, never create one, and the bar is this model's own
 *   spread in this library (model-spread.ts), so a weak model (the tests' 8-d colour model) that calls
 *   everything similar confirms almost nothing instead of merging unrelated photos.
 */
export async function findDuplicates(library: Library, options: DuplicateOptions = {}): Promise<DuplicateGroup[]> {
  const db = library.db;
  const photos: Candidate[] = indexedPhotoFingerprints(db).map(({ perceptualHash: hash, ...p }) => ({
    ...p,
    hashes: hash ? parsePerceptualHash(hash) : null,
  }));
  const table = options.modelId ? findImageVectorTable(db, options.modelId) : undefined;
  const vectors = table ? await imageVectorIndex(db, table) : null;
  const spread = vectors ? measureSpread(vectors, hashesFarApart(photos)) : null;
  const matches = hashMatches(photos, vectors, spread);
  addSameFileMatches(photos, matches);
  return keeperGroups(photos, matches);
}

/** Pairs no hash match could make candidates (or without hashes): the unrelated sample for the spread. */
function hashesFarApart(photos: Candidate[]): (a: number, b: number) => boolean {
  const byId = new Map(photos.map((p) => [p.id, p.hashes]));
  return (a, b) => {
    const ha = byId.get(a);
    const hb = byId.get(b);
    return !ha || !hb || perceptualMatch(ha, hb).distance > EMBEDDING_HASH_DISTANCE;
  };
}

/**
 * Every pair within EMBEDDING_HASH_DISTANCE through one hash index holding every photo's regions
 * (whole frame, centre 90%, centre 80%), queried with each photo's whole-frame hash: that finds
 * whole-against-whole (the same picture) and whole-against-inner (this photo is a crop of that one);
 * the reverse, inner against whole, is found from the other photo's query. Pairs beyond
 * NEAR_HASH_DISTANCE need the embeddings' confirmation.
 */
function hashMatches(photos: Candidate[], vectors: ImageVectorIndex | null, spread: SimilaritySpread | null): Match[][] {
  const matches: Match[][] = photos.map(() => []);
  const regions: { photo: number; hi: number; lo: number }[] = [];
  photos.forEach((p, i) => {
    const hash = p.hashes;
    if (hash) for (let r = 0; r + 1 < hash.length; r += 2) regions.push({ photo: i, hi: hash[r]!, lo: hash[r + 1]! });
  });
  const index = new HashIndex(
    Uint32Array.from(regions, (r) => r.hi),
    Uint32Array.from(regions, (r) => r.lo),
  );
  const confirm = (a: number, b: number): number | null => {
    if (!vectors || !spread) return null;
    const similarity = vectors.similarity(photos[a]!.id, photos[b]!.id);
    return similarity !== undefined && similarity >= spread.threshold ? similarity : null;
  };
  const paired = new Set<number>();
  photos.forEach((photo, a) => {
    const hash = photo.hashes;
    if (!hash || hash.length < 2) return;
    index.near(hash[0]!, hash[1]!, EMBEDDING_HASH_DISTANCE, (entry) => {
      const b = regions[entry]!.photo;
      if (b === a) return;
      const key = Math.min(a, b) * photos.length + Math.max(a, b);
      if (paired.has(key)) return;
      paired.add(key);
      const { distance, cropped } = perceptualMatch(hash, photos[b]!.hashes!);
      let match: Match['match'] = cropped ? 'cropped' : 'resized';
      let similarity: number | null = null;
      if (distance > NEAR_HASH_DISTANCE) {
        similarity = confirm(a, b);
        if (similarity === null) return;
        match = 'similar-scene';
      }
      matches[a]!.push({ other: b, match, hashDistance: distance, similarity });
      matches[b]!.push({ other: a, match, hashDistance: distance, similarity });
    });
  });
  return matches;
}

/** Byte-identical files (same content hash) match each other whatever their hashes say. */
function addSameFileMatches(photos: Candidate[], matches: Match[][]): void {
  const byContent = new Map<string, number[]>();
  photos.forEach((p, i) => {
    if (p.contentHash) byContent.set(p.contentHash, [...(byContent.get(p.contentHash) ?? []), i]);
  });
  for (const members of byContent.values()) {
    for (const a of members) {
      const others = new Set(members.filter((b) => b !== a));
      matches[a] = [
        ...matches[a]!.filter((m) => !others.has(m.other)),
        ...[...others].map((b) => ({ other: b, match: 'same-file' as const, hashDistance: 0, similarity: null })),
      ];
    }
  }
}

/** Best photo first; each photo not yet grouped keeps the not-yet-grouped photos that match it. */
function keeperGroups(photos: Candidate[], matches: Match[][]): DuplicateGroup[] {
  const order = photos.map((_, i) => i).sort((a, b) => keeperOrder(photos[a]!, photos[b]!));
  const grouped = new Uint8Array(photos.length);
  const groups: DuplicateGroup[] = [];
  for (const k of order) {
    if (grouped[k]) continue;
    const members = matches[k]!.filter((m) => !grouped[m.other]);
    if (members.length === 0) continue;
    grouped[k] = 1;
    for (const m of members) grouped[m.other] = 1;
    groups.push(
      describeGroup(
        photos[k]!,
        members.map((m) => ({ photo: photos[m.other]!, match: m })),
      ),
    );
  }
  return groups.sort((a, b) => b.photos.length - a.photos.length || a.keeper - b.keeper);
}

function describeGroup(keeper: Candidate, members: { photo: Candidate; match: Match }[]): DuplicateGroup {
  const member = (p: Candidate, match: DuplicateMatch, hashDistance: number | null, similarity: number | null): DuplicateMember => ({
    photoId: p.id,
    photo: p.path,
    width: p.width,
    height: p.height,
    size: p.size,
    sharpness: p.sharpness,
    match,
    hashDistance,
    similarity,
  });
  return {
    kind: members.every((m) => m.match.match === 'same-file') ? 'exact' : 'near',
    keeper: keeper.id,
    photos: [
      member(keeper, 'keeper', null, null),
      ...members
        .sort((a, b) => a.photo.id - b.photo.id)
        .map((m) => member(m.photo, m.match.match, m.match.hashDistance, m.match.similarity)),
    ],
  };
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

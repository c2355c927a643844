import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuplicateGroup } from '../../../src/common/api/search';
import { indexFolders } from '../../../src/engine/indexing/index-folders';
import { Library } from '../../../src/engine/library/library';
import { createClipAnalyzer } from '../../../src/engine/analyzers/clip-stage';
import { createPerceptualHashAnalyzer } from '../../../src/engine/analyzers/hash-stage';
import { findDuplicates } from '../../../src/engine/search/duplicates';
import { imageVectorTable, markEmbedded, writeImageVector } from '../../../src/engine/library/image-vectors';
import { parsePerceptualHash, perceptualDistance, perceptualHash } from '../../../src/engine/imaging/perceptual-hash';
import { describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { loadTinyClip } from './tiny-clip-model';
import { registerIndexedPhoto } from '../../../src/engine/library/photo-store';
import { seededRandom } from '../../../bench/seeded-random';

/** Copies the test makes of an original: what a user's library accumulates. */
const EDITS: Record<string, (img: sharp.Sharp, w: number, h: number) => sharp.Sharp> = {
  reencoded: (img) => img.jpeg({ quality: 45 }),
  webp: (img) => img.webp({ quality: 60 }),
  half: (img, w) => img.resize(Math.round(w / 2)).jpeg({ quality: 85 }),
  crop90: (img, w, h) =>
    img.extract({ left: Math.round(w * 0.05), top: Math.round(h * 0.05), width: Math.round(w * 0.9), height: Math.round(h * 0.9) }),
  crop80: (img, w, h) =>
    img.extract({ left: Math.round(w * 0.1), top: Math.round(h * 0.1), width: Math.round(w * 0.8), height: Math.round(h * 0.8) }),
};
/** The reason each copy should be given for matching its original. */
const REASONS: Record<string, string> = {
  copy: 'same-file',
  reencoded: 'resized',
  webp: 'resized',
  half: 'resized',
  crop90: 'cropped',
  crop80: 'cropped',
};

describeWithShared('duplicates on ../shared/photos: copies found, no false groups among 1,000 originals', () => {
  const root = tempDir('facet-dupes-');
  const originalsDir = sharedPhotos('captions', 'images');
  const copiesDir = path.join(root, 'copies');
  let library: Library;
  let groups: DuplicateGroup[];
  let withTinyClip: DuplicateGroup[];
  let idOf: (file: string) => number;
  const sources = fs
    .readdirSync(originalsDir)
    .sort()
    .filter((_, i) => i % 100 === 7); // 10 originals

  beforeAll(async () => {
    fs.mkdirSync(copiesDir);
    for (const file of sources) {
      const source = path.join(originalsDir, file);
      const { width, height } = await sharp(source).metadata();
      for (const [edit, apply] of Object.entries(EDITS)) {
        await apply(sharp(source), width!, height!).toFile(
          path.join(copiesDir, `${edit}-${file.replace(/\.jpg$/, edit === 'webp' ? '.webp' : '.jpg')}`),
        );
      }
      fs.copyFileSync(source, path.join(copiesDir, `copy-${file}`));
    }
    library = Library.open(path.join(root, 'library'));
    const { clip } = await loadTinyClip();
    const result = await indexFolders({
      library,
      folders: [originalsDir, copiesDir],
      analyzers: [createPerceptualHashAnalyzer(), createClipAnalyzer(library, clip)],
      faceModelId: null,
      concurrency: 4,
    });
    expect(result.failed).toBe(0);
    const ids = new Map(
      (library.db.prepare('SELECT id, path FROM photos').all() as { id: number; path: string }[]).map((r) => [r.path, r.id]),
    );
    idOf = (file) => ids.get(file)!;
    groups = await findDuplicates(library);
    withTinyClip = await findDuplicates(library, { modelId: clip.modelId });
  }, 600_000);
  afterAll(() => library?.close());

  it('puts every original with all its copies in one group, nothing else in it', () => {
    expect(groups).toHaveLength(sources.length);
    for (const file of sources) {
      const expected = [
        path.join(originalsDir, file),
        ...fs
          .readdirSync(copiesDir)
          .filter((c) => c.endsWith(file.replace(/\.jpg$/, '.jpg')) || c === `webp-${file.replace(/\.jpg$/, '.webp')}`)
          .map((c) => path.join(copiesDir, c)),
      ];
      const group = groups.find((g) => g.photos.some((p) => p.photoId === idOf(path.join(originalsDir, file))));
      expect(group?.photos.map((p) => p.photo).sort()).toEqual(expected.sort());
    }
  });

  it('says why each copy matches its keeper, and every member matches the keeper itself', () => {
    for (const group of groups) {
      for (const member of group.photos) {
        if (member.photoId === group.keeper) {
          expect(member.match).toBe('keeper');
          continue;
        }
        const edit = path.basename(member.photo).split('-')[0]!;
        const original = !member.photo.startsWith(copiesDir);
        expect(member.match).toBe(original ? 'same-file' : REASONS[edit]);
        expect(member.hashDistance).toBeLessThanOrEqual(6);
      }
    }
  });

  it('with the weak tiny colour CLIP: copies still with their originals, and no group mixes unrelated photos', () => {
    const sourceOf = (photo: string) =>
      photo.startsWith(copiesDir)
        ? path
            .basename(photo)
            .replace(/^[a-z0-9]+-/, '')
            .replace(/\.webp$/, '.jpg')
        : path.basename(photo);
    for (const group of withTinyClip) expect(new Set(group.photos.map((p) => sourceOf(p.photo))).size).toBe(1);
    const copies = sources.length * (Object.keys(EDITS).length + 1);
    const withOriginal = withTinyClip.flatMap((g) => g.photos.filter((p) => p.photo.startsWith(copiesDir))).length;
    expect(withOriginal / copies).toBeGreaterThanOrEqual(0.9);
  });

  it('suggests the largest, least compressed photo as keeper and marks byte-identical copies as exact', () => {
    for (const group of groups) {
      const keeper = group.photos.find((p) => p.photoId === group.keeper)!;
      const largest = Math.max(...group.photos.map((p) => (p.width ?? 0) * (p.height ?? 0)));
      expect((keeper.width ?? 0) * (keeper.height ?? 0)).toBe(largest);
      const rivals = group.photos.filter((p) => (p.width ?? 0) * (p.height ?? 0) === largest && p !== keeper);
      for (const rival of rivals) expect(keeper.size).toBeGreaterThanOrEqual(rival.size);
      expect(keeper.photo).not.toMatch(/reencoded-|webp-|half-|crop/);
      expect(group.kind).toBe('near'); // re-encodes differ in bytes
      expect(group.photos.filter((p) => p.match === 'same-file').length).toBeGreaterThanOrEqual(1);
    }
  });

  it('deletes nothing', () => {
    const count = (library.db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n;
    expect(count).toBe(1000 + sources.length * (Object.keys(EDITS).length + 1));
  });

  it('hashes the same picture alike at any size, and a different picture far away', async () => {
    const decode = async (input: sharp.Sharp) => {
      const { data, info } = await input.removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return parsePerceptualHash(perceptualHash({ data: new Uint8Array(data), width: info.width, height: info.height }));
    };
    const [a, b] = sources.map((f) => path.join(originalsDir, f)) as [string, string];
    const full = await decode(sharp(a));
    expect(perceptualDistance(full, await decode(sharp(a).resize(64)))).toBeLessThanOrEqual(6);
    expect(perceptualDistance(full, await decode(sharp(b)))).toBeGreaterThan(10);
  });
});

describeWithShared('duplicates confirmed by CLIP embeddings', () => {
  it('groups a slightly off-centre crop, which the hash alone misses, when the embeddings agree, and nothing unrelated', async () => {
    const root = tempDir('facet-dupes-clip-');
    const objects = sharedPhotos('objects');
    const folder = path.join(root, 'crops');
    fs.mkdirSync(folder);
    const files = fs
      .readdirSync(objects)
      .filter((f) => f.endsWith('.jpg'))
      .sort();
    for (const file of files.slice(0, 12)) {
      const { width, height } = await sharp(path.join(objects, file)).metadata();
      await sharp(path.join(objects, file))
        .extract({ left: 0, top: 0, width: Math.round(width! * 0.95), height: Math.round(height! * 0.95) })
        .toFile(path.join(folder, `corner-${file}`));
    }
    const { clip } = await loadTinyClip();
    const library = Library.open(path.join(root, 'library'));
    try {
      await indexFolders({
        library,
        folders: [objects, folder],
        analyzers: [createPerceptualHashAnalyzer(), createClipAnalyzer(library, clip)],
        faceModelId: null,
      });
      // A discriminating model, stood in for by vectors written straight into its table: each
      // original a random direction, its crop the same direction (the tiny colour model is too weak
      // to tell these photos apart, which is the other half of this test).
      const sharpModel = 'discriminating-test-model';
      const table = imageVectorTable(library.db, sharpModel, 32);
      const random = seededRandom(3);
      const directions = new Map<string, Float32Array>();
      for (const { id, path: file } of library.db.prepare('SELECT id, path FROM photos ORDER BY id').all() as {
        id: number;
        path: string;
      }[]) {
        const source = path.basename(file).replace(/^corner-/, '');
        if (!directions.has(source)) directions.set(source, unitVector(Array.from({ length: 32 }, () => random() - 0.5)));
        const noisy = unitVector(Array.from(directions.get(source)!, (x) => x + (random() - 0.5) * 0.01));
        writeImageVector(library.db, table, id, noisy);
        markEmbedded(library.db, id, sharpModel);
      }
      const hashOnly = await findDuplicates(library);
      const confirmed = await findDuplicates(library, { modelId: sharpModel });
      const similar = confirmed.flatMap((g) => g.photos.filter((p) => p.match === 'similar-scene'));
      expect(similar.length).toBeGreaterThan(0);
      for (const member of similar) {
        expect(member.hashDistance).toBeGreaterThan(6);
        expect(member.similarity).toBeGreaterThan(0.99);
        expect(hashOnly.some((g) => g.photos.some((p) => p.photoId === member.photoId))).toBe(false);
      }
      // ../shared/photos/objects holds one photo twice under two names (same pixels, other bytes).
      const SAME_PHOTO: Record<string, string> = { 'dog_toshi_yellow.jpg': 'dog_created_1919.jpg' };
      const sourceOf = (photo: string) => {
        const name = path.basename(photo).replace(/^corner-/, '');
        return SAME_PHOTO[name] ?? name;
      };
      for (const group of confirmed) expect(new Set(group.photos.map((p) => sourceOf(p.photo))).size).toBe(1);
      // The weak colour model confirms only what its own spread allows, and never mixes photos.
      for (const group of await findDuplicates(library, { modelId: clip.modelId }))
        expect(new Set(group.photos.map((p) => sourceOf(p.photo))).size).toBe(1);
    } finally {
      library.close();
    }
  }, 120_000);
});

function unitVector(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (x) => x / norm);
}

describe('keeper-centric groups', () => {
  it('never chains: C matches B and B matches A, but C is not put with A', async () => {
    const library = Library.open(path.join(tempDir('facet-dupes-chain-'), 'library'));
    try {
      const a = 0x0123456789abcdefn;
      const b = a ^ 0x1fn; // 5 bits from A
      const c = b ^ (0x1fn << 20n); // 5 bits from B, 10 from A
      const hash = (h: bigint) => [h, h, h].map((x) => x.toString(16).padStart(16, '0')).join(':');
      registerIndexedPhoto(library.db, { id: 1, path: '/p/a.jpg', size: 3000, width: 400, height: 300, perceptualHash: hash(a) });
      registerIndexedPhoto(library.db, { id: 2, path: '/p/b.jpg', size: 2000, width: 300, height: 200, perceptualHash: hash(b) });
      registerIndexedPhoto(library.db, { id: 3, path: '/p/c.jpg', size: 1000, width: 200, height: 100, perceptualHash: hash(c) });
      const groups = await findDuplicates(library);
      expect(groups).toHaveLength(1);
      expect(groups[0]!.keeper).toBe(1);
      expect(groups[0]!.photos.map((p) => p.photoId)).toEqual([1, 2]);
    } finally {
      library.close();
    }
  });
});

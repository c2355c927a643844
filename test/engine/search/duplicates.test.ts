import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DuplicateGroup } from '../../../src/common/api/search';
import { indexFolders } from '../../../src/engine/indexing/index-folders';
import { Library } from '../../../src/engine/library/library';
import { createClipAnalyzer } from '../../../src/engine/analyzers/clip-stage';
import { createPerceptualHashAnalyzer } from '../../../src/engine/analyzers/hash-stage';
import { findDuplicates } from '../../../src/engine/search/duplicates';
import { parsePerceptualHash, perceptualDistance, perceptualHash } from '../../../src/engine/imaging/perceptual-hash';
import { describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { loadTinyClip } from './tiny-clip-model';

/** Copies the test makes of an original: what a user's library accumulates. */
const EDITS: Record<string, (img: sharp.Sharp, w: number, h: number) => sharp.Sharp> = {
  reencoded: (img) => img.jpeg({ quality: 45 }),
  webp: (img) => img.webp({ quality: 60 }),
  half: (img, w) => img.resize(Math.round(w / 2)).jpeg({ quality: 85 }),
  crop90: (img, w, h) => img.extract({ left: Math.round(w * 0.05), top: Math.round(h * 0.05), width: Math.round(w * 0.9), height: Math.round(h * 0.9) }),
  crop80: (img, w, h) => img.extract({ left: Math.round(w * 0.1), top: Math.round(h * 0.1), width: Math.round(w * 0.8), height: Math.round(h * 0.8) }),
};

describeWithShared('duplicates on ../shared/photos: copies found, no false groups among 1,000 originals', () => {
  const root = tempDir('facet-dupes-');
  const originalsDir = sharedPhotos('captions', 'images');
  const copiesDir = path.join(root, 'copies');
  let library: Library;
  let groups: DuplicateGroup[];
  let idOf: (file: string) => number;
  const sources = fs.readdirSync(originalsDir).sort().filter((_, i) => i % 100 === 7); // 10 originals

  beforeAll(async () => {
    fs.mkdirSync(copiesDir);
    for (const file of sources) {
      const source = path.join(originalsDir, file);
      const { width, height } = await sharp(source).metadata();
      for (const [edit, apply] of Object.entries(EDITS)) {
        await apply(sharp(source), width!, height!).toFile(path.join(copiesDir, `${edit}-${file.replace(/\.jpg$/, edit === 'webp' ? '.webp' : '.jpg')}`));
      }
      fs.copyFileSync(source, path.join(copiesDir, `copy-${file}`));
    }
    library = Library.open(path.join(root, 'library'));
    const result = await indexFolders({ library, folders: [originalsDir, copiesDir], analyzers: [createPerceptualHashAnalyzer()], faceModelId: null, concurrency: 4 });
    expect(result.failed).toBe(0);
    const ids = new Map((library.db.prepare('SELECT id, path FROM photos').all() as { id: number; path: string }[]).map((r) => [r.path, r.id]));
    idOf = (file) => ids.get(file)!;
    groups = findDuplicates(library);
  }, 300_000);
  afterAll(() => library?.close());

  it('puts every original with all its copies in one group, nothing else in it', () => {
    expect(groups).toHaveLength(sources.length);
    for (const file of sources) {
      const expected = [path.join(originalsDir, file), ...fs.readdirSync(copiesDir).filter((c) => c.endsWith(file.replace(/\.jpg$/, '.jpg')) || c === `webp-${file.replace(/\.jpg$/, '.webp')}`).map((c) => path.join(copiesDir, c))];
      const group = groups.find((g) => g.photos.some((p) => p.photoId === idOf(path.join(originalsDir, file))));
      expect(group?.photos.map((p) => p.photo).sort()).toEqual(expected.sort());
    }
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
      expect(group.photos.filter((p) => p.match === 'exact').length).toBeGreaterThanOrEqual(1);
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
  it('groups an off-centre crop, which the hash alone misses, when the embeddings agree', async () => {
    const root = tempDir('facet-dupes-clip-');
    const source = sharedPhotos('objects', fs.readdirSync(sharedPhotos('objects')).sort()[3]!);
    const folder = path.join(root, 'photos');
    fs.mkdirSync(folder);
    fs.copyFileSync(source, path.join(folder, 'original.jpg'));
    const { width, height } = await sharp(source).metadata();
    await sharp(source).extract({ left: 0, top: 0, width: Math.round(width! * 0.9), height: Math.round(height! * 0.9) }).toFile(path.join(folder, 'corner.jpg'));
    const { clip } = await loadTinyClip();
    const library = Library.open(path.join(root, 'library'));
    try {
      await indexFolders({ library, folders: [folder], analyzers: [createPerceptualHashAnalyzer(), createClipAnalyzer(library, clip)], faceModelId: null });
      const hashes = (library.db.prepare('SELECT perceptual_hash AS h FROM photos ORDER BY path').all() as { h: string }[]).map((r) => parsePerceptualHash(r.h));
      const distance = perceptualDistance(hashes[0]!, hashes[1]!);
      expect(distance).toBeGreaterThan(6);
      expect(findDuplicates(library)).toHaveLength(distance <= 6 ? 1 : 0);
      const [group] = findDuplicates(library, { modelId: clip.modelId });
      expect(group?.photos.map((p) => path.basename(p.photo)).sort()).toEqual(['corner.jpg', 'original.jpg']);
      expect(group?.photos.find((p) => p.match === 'embedding')?.photo).toContain('corner.jpg');
    } finally {
      library.close();
    }
  });
});
